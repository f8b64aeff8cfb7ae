"""Run submission kernels in a sandbox: forked from a pre-imported server, one namespace each."""

from .server import ForkServer, Limits, SandboxError

__all__ = ["ForkServer", "Limits", "SandboxError"]
