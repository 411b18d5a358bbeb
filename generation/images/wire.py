"""Image requests and results as JSON, for the queue between bot processes and workers.

A request crosses to a GPU worker and a result comes back through the database, so both
are plain JSON. Paths are relative to the data directory (a shared volume mounted where
each machine likes): the character's reference portrait going out, the image files the
worker wrote coming back.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from generation.images.base import ImageRequest, ImageResult, Subject


def request_json(request: ImageRequest, data_dir: Path) -> dict[str, Any]:
    reference = None
    if request.reference is not None:
        try:
            reference = request.reference.resolve().relative_to(data_dir.resolve()).as_posix()
        except ValueError:  # outside the data directory: only this machine can read it
            reference = None
    return {
        "prompts": list(request.prompts),
        "seed": request.seed,
        "negative_prompt": request.negative_prompt,
        "subject": asdict(request.subject) if request.subject is not None else None,
        "labels": list(request.labels),
        "width": request.width,
        "height": request.height,
        "steps": request.steps,
        "reference": reference,
        "seeds": list(request.seeds),
    }


def request_from(data: dict[str, Any], data_dir: Path) -> ImageRequest:
    subject = data.get("subject")
    reference = data.get("reference")
    path = data_dir / reference if reference else None
    return ImageRequest(
        prompts=tuple(data["prompts"]),
        seed=int(data["seed"]),
        negative_prompt=str(data.get("negative_prompt") or ""),
        subject=Subject(**subject) if subject else None,
        labels=tuple(data.get("labels") or ()),
        width=data.get("width"),
        height=data.get("height"),
        steps=data.get("steps"),
        reference=path if path is not None and path.is_file() else None,
        seeds=tuple(data.get("seeds") or ()),
    )


def result_json(result: ImageResult, files: list[str]) -> dict[str, Any]:
    """What a worker reports: the files it wrote (relative to the data directory), and
    how they were made."""
    return {
        "files": files,
        "backend": result.backend,
        "model": result.model,
        "steps": result.steps,
        "seconds": result.seconds,
        "placeholder": result.placeholder,
        "used_reference": result.used_reference,
        "note": result.note,
    }


def result_from(data: dict[str, Any], data_dir: Path) -> ImageResult:
    """The result with its images read back from the shared data directory."""
    from PIL import Image

    images = []
    for name in data["files"]:
        with Image.open(data_dir / name) as img:
            images.append(img.convert("RGB"))
    return ImageResult(
        tuple(images),
        str(data["backend"]),
        str(data["model"]),
        int(data["steps"]),
        float(data["seconds"]),
        placeholder=bool(data.get("placeholder")),
        used_reference=bool(data.get("used_reference")),
        note=str(data.get("note") or ""),
    )
