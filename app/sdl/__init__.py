"""SDL 2.0/2.1 -> GroupSpecs, manifest JSON and version hash (identical to the official library); cost estimates."""

from app.sdl.errors import SdlError, SdlValidationError
from app.sdl.model import (
    MAX_SDL_BYTES,
    ExposeInfo,
    PlacementRequest,
    ResourceRequest,
    Sdl,
    ServiceInfo,
    StorageRequest,
    parse_sdl,
)

__all__ = [
    "MAX_SDL_BYTES",
    "ExposeInfo",
    "ServiceInfo",
    "PlacementRequest",
    "ResourceRequest",
    "Sdl",
    "SdlError",
    "SdlValidationError",
    "StorageRequest",
    "parse_sdl",
]
