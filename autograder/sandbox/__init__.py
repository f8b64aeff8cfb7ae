"""Run submission kernels in a sandbox: forked from a pre-imported server, one namespace each
(docs/architecture.md, stage 5a; docs/security.md)."""

from .server import ForkServer, Limits, SandboxError

__all__ = ["ForkServer", "Limits", "SandboxError"]
