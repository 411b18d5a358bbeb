"""Cheap previews of an image still being made: latents to colours, no VAE decode.

Stable Diffusion's four latent channels map almost linearly onto RGB; a fixed 4x3 matrix
gives a blurry, recognisable preview in microseconds, which the worker thread can afford
every second or so. (The factors are the widely used approximation for SD 1.x/2.x latents;
SDXL's latents are close enough for a progress picture.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

_FACTORS = (
    (0.298, 0.207, 0.208),
    (0.187, 0.286, 0.173),
    (-0.158, 0.189, 0.264),
    (-0.184, -0.271, -0.473),
)

PREVIEW_SIDE = 128


def latents_preview(latents: Any, side: int = PREVIEW_SIDE) -> Image:
    """The first latent of a batch (torch tensor, 4 x h x w) as a small RGB image."""
    import torch
    from PIL import Image as PILImage

    first = latents[0].detach().float().cpu()
    if first.shape[0] != 4:  # not an SD-style latent: show its first channels as grey
        first = first[:1].repeat(3, 1, 1).permute(1, 2, 0)
    else:
        first = torch.einsum("chw,cr->hwr", first, torch.tensor(_FACTORS))
    rgb = ((first + 1) * 127.5).clamp(0, 255).to(torch.uint8).numpy()
    img = PILImage.fromarray(rgb)
    scale = side / max(img.size)
    return img.resize(
        (max(1, round(img.width * scale)), max(1, round(img.height * scale))),
        PILImage.Resampling.NEAREST,
    )
