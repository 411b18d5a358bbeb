"""A local diffusers model folder: what it holds, read from its JSON files (no torch).

Layouts: Stable Diffusion 1.x/2.x (``StableDiffusionPipeline``), SDXL
(``StableDiffusionXLPipeline``) and their Turbo distillations (a folder whose name contains
"turbo": few steps, no guidance). An IP-Adapter is used when the folder holds one under
``ip_adapter/`` (a weight file whose name starts with "ip-adapter", with an
``image_encoder/`` folder beside it), as the h94/IP-Adapter repository lays them out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from core.errors import GenerationError

LAYOUTS = {
    "StableDiffusionPipeline": "sd",
    "StableDiffusionXLPipeline": "sdxl",
}
SETTING = "WRITERSROOM_DIFFUSERS_MODEL"


@dataclass(frozen=True, slots=True)
class IPAdapter:
    root: Path
    subfolder: str
    weight_name: str
    image_encoder_folder: str


@dataclass(frozen=True, slots=True)
class ModelFolder:
    path: Path
    layout: str  # "sd" | "sdxl" | "sd-turbo" | "sdxl-turbo"
    width: int
    height: int
    steps: int
    guidance: float
    ip_adapter: IPAdapter | None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def turbo(self) -> bool:
        return self.layout.endswith("turbo")


def _json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GenerationError(
            f"Could not read {path}: {exc}. Is {SETTING} a diffusers "
            "model folder (saved with save_pretrained)?"
        ) from None
    if not isinstance(data, dict):
        raise GenerationError(f"{path} is not a diffusers config file.")
    return data


def _ip_adapter(folder: Path) -> IPAdapter | None:
    root = folder / "ip_adapter"
    if not root.is_dir():
        return None
    for weight in sorted(root.rglob("ip-adapter*")):
        if weight.suffix in (".safetensors", ".bin") and (weight.parent / "image_encoder").is_dir():
            sub = weight.parent.relative_to(root).as_posix()
            return IPAdapter(root, "" if sub == "." else sub, weight.name, "image_encoder")
    return None


def read_model_folder(path: Path | None) -> ModelFolder:
    """Check the folder and read its layout, or fail naming what to set."""
    if path is None:
        raise GenerationError(
            f"The diffusers image backend needs a local model folder: set {SETTING} to a "
            "folder saved with save_pretrained (e.g. a Stable Diffusion 1.5, SDXL or "
            "SD-Turbo download). Nothing is downloaded at run time."
        )
    if not (path / "model_index.json").is_file():
        raise GenerationError(
            f"{SETTING} is {path}, which is not a diffusers model folder (no "
            "model_index.json there). Point it at a folder saved with save_pretrained."
        )
    index = _json(path / "model_index.json")
    class_name = str(index.get("_class_name", ""))
    if class_name not in LAYOUTS:
        raise GenerationError(
            f"{path.name} is a {class_name or 'unknown'} model; the diffusers image backend "
            f"runs {', '.join(LAYOUTS)}."
        )
    layout = LAYOUTS[class_name]
    unet = _json(path / "unet" / "config.json")
    vae = _json(path / "vae" / "config.json")
    blocks = vae.get("block_out_channels") or [0, 0, 0, 0]
    scale = 2 ** (len(blocks) - 1) if isinstance(blocks, list) else 8
    sample = unet.get("sample_size") or 64
    side = int(str(sample[0] if isinstance(sample, list) else sample)) * scale
    turbo = "turbo" in path.name.lower()
    if turbo:
        layout += "-turbo"
        steps, guidance = (1 if layout == "sdxl-turbo" else 4), 0.0
    else:
        steps, guidance = (30, 6.0) if layout == "sdxl" else (25, 7.5)
    return ModelFolder(path, layout, side, side, steps, guidance, _ip_adapter(path))
