"""Stable Diffusion pipelines with random weights, built from configs in code.

Tests and benchmarks need a real ``StableDiffusionPipeline`` without downloading weights:
speed does not depend on the weights' values, and behaviour (seeds, callbacks, cancel) does
not either. ``save_random_pipeline`` writes one with ``save_pretrained`` so it is loaded
through the very code path users' model folders go through.

The tokenizer is a byte-level CLIP tokenizer: its vocabulary is the 256 byte symbols (plain
and word-final) and it has no merges, so nothing is downloaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Size:
    """The few numbers that set a pipeline's cost."""

    unet_channels: tuple[int, ...]
    vae_channels: tuple[int, ...]
    text_hidden: int
    text_layers: int
    sample_size: int
    layers_per_block: int
    groups: int
    heads: int


TINY = Size((16, 32), (16, 32), 32, 2, 32, 1, 8, 2)
"""About 1 MB of weights; 64x64 images; a step takes milliseconds on a CPU."""

SD15 = Size((320, 640, 1280, 1280), (128, 256, 512, 512), 768, 12, 64, 2, 32, 8)
"""The shapes of Stable Diffusion 1.5 (860M-parameter UNet), 512x512 images."""


def _byte_symbols() -> list[str]:
    """GPT-2's byte-to-unicode table, as CLIP's tokenizer uses it."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
    keep += list(range(ord("®"), ord("ÿ") + 1))
    extra = 0
    out: dict[int, str] = {}
    for b in range(256):
        if b in keep:
            out[b] = chr(b)
        else:
            out[b] = chr(256 + extra)
            extra += 1
    return [out[b] for b in range(256)]


def write_byte_tokenizer_files(folder: Path) -> tuple[Path, Path]:
    """vocab.json and merges.txt of a merge-free byte-level CLIP tokenizer."""
    folder.mkdir(parents=True, exist_ok=True)
    symbols = _byte_symbols()
    tokens = [*symbols, *(s + "</w>" for s in symbols), "<|startoftext|>", "<|endoftext|>"]
    vocab = {tok: i for i, tok in enumerate(tokens)}
    vocab_file, merges_file = folder / "vocab.json", folder / "merges.txt"
    vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    merges_file.write_text("#version: 0.2\n", encoding="utf-8")
    return vocab_file, merges_file


def build_random_pipeline(size: Size = TINY, seed: int = 0, work_dir: Path | None = None) -> Any:
    """A StableDiffusionPipeline of ``size`` with random weights (needs the images extra)."""
    import tempfile

    import torch
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    torch.manual_seed(seed)
    n = len(size.unet_channels)
    unet = UNet2DConditionModel(
        sample_size=size.sample_size,
        in_channels=4,
        out_channels=4,
        block_out_channels=size.unet_channels,
        layers_per_block=size.layers_per_block,
        norm_num_groups=size.groups,
        down_block_types=("CrossAttnDownBlock2D",) * (n - 1) + ("DownBlock2D",),
        up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * (n - 1),
        cross_attention_dim=size.text_hidden,
        attention_head_dim=size.heads,
    )
    m = len(size.vae_channels)
    vae = AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * m,
        up_block_types=("UpDecoderBlock2D",) * m,
        block_out_channels=size.vae_channels,
        layers_per_block=size.layers_per_block,
        norm_num_groups=size.groups,
        latent_channels=4,
        sample_size=size.sample_size * 2 ** (m - 1),
    )
    with tempfile.TemporaryDirectory() as tmp:
        vocab, merges = write_byte_tokenizer_files(Path(work_dir or tmp) / "tokenizer-src")
        tokenizer = CLIPTokenizer(str(vocab), str(merges), model_max_length=77)
    text_config = CLIPTextConfig(
        vocab_size=len(tokenizer),
        hidden_size=size.text_hidden,
        intermediate_size=size.text_hidden * 4,
        num_hidden_layers=size.text_layers,
        num_attention_heads=max(1, size.text_hidden // 64) if size.text_hidden >= 64 else 4,
        max_position_embeddings=77,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    text_encoder = CLIPTextModel(text_config)
    scheduler = DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    return StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )


def save_random_pipeline(folder: Path, size: Size = TINY, seed: int = 0) -> Path:
    """Build a random pipeline and save it as a model folder users could point at."""
    pipe = build_random_pipeline(size, seed, work_dir=folder.parent)
    pipe.save_pretrained(str(folder), safe_serialization=True)
    return folder
