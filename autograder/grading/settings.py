"""The settings of a grading run, declared once: default, command-line option and help text.

`Settings` travels whole from the command line to the class grader, the engine, every worker
process and every job; what a part needs is derived here (`limits`, `intake`), never defaulted
again elsewhere. The limits no option sets are here too (KERNEL_FIXED, INTAKE_FIXED), so that
every limit of a run is written in this file and nowhere else (docs/security.md lists them).
"""

import dataclasses
import os
import types
import typing

from autograder.sandbox import Limits

from .intake import MiB, IntakeLimits


def option(default, help, flag=None, shown=None, **argparse):
    """A field of Settings that is also a `grade` option (flag: its name, default --field-name).

    The help ends with "(default: shown)", or for a number "(default N)" written from `default`,
    so that no default is written twice.
    """
    if shown is not None:
        help = f"{help} (default: {shown})"
    elif isinstance(default, (int, float)) and not isinstance(default, bool):
        help = f"{help} (default {default})"
    return dataclasses.field(default=default, metadata={"help": help, "flag": flag,
                                                        "argparse": argparse})


@dataclasses.dataclass(frozen=True)
class Settings:
    workers: int = option(os.cpu_count() or 1, "submissions graded at once on this machine, "
                          "ignored with --scheduler", shown="the number of cores")
    scheduler: str = option(None, "grade on the Dask cluster whose scheduler is at this address "
                            "(tls://host:8786; tcp:// on this machine only) instead of on this "
                            "machine, with the certificate of Dask's TLS configuration; see "
                            "docs/grading.md",
                            metavar="ADDRESS")
    db_url: str = option(None, "SQLAlchemy URL of the class gradebook",
                         shown="sqlite in the work directory")
    cell_timeout: int = option(30, "seconds per cell")
    job_timeout: int = option(300, "seconds per submission, everything included")
    max_mib: float = option(20, "largest notebook graded, in MiB")
    memory_mib: int = option(2048, "memory (address space) of one submission's kernel, in MiB")
    figures: bool = option(False, "draw the notebooks' figures into the feedback pages (0.3-1 s "
                                  "per figure); by default a figure shows as its one-line text "
                                  "form")
    force: bool = option(False, "regrade submissions that already have a result in the work "
                                "directory")
    unsafe_no_sandbox: bool = option(False, "grade without the sandbox (see docs/security.md "
                                            "for what is lost)")

    # What no option sets: the rest of a kernel's limits (sizes in MiB; see sandbox.Limits) ...
    KERNEL_FIXED: typing.ClassVar = types.MappingProxyType(dict(
        file_mib=64, workdir_mib=256, tmp_mib=64, scratch_files=50_000, open_files=256,
        processes=64))
    # ... and of a submission folder (see intake.IntakeLimits)
    INTAKE_FIXED: typing.ClassVar = types.MappingProxyType(dict(
        max_cells=5000, other_files=100, other_bytes=16 * MiB, depth=8))

    @property
    def sandbox(self):
        return not self.unsafe_no_sandbox

    def limits(self):
        """What one kernel may use; its CPU time is the job's time limit."""
        return Limits(memory_mib=self.memory_mib, cpu_seconds=self.job_timeout,
                      **self.KERNEL_FIXED)

    def intake(self):
        """What a submission folder may hold."""
        return IntakeLimits(notebook_bytes=int(self.max_mib * MiB), **self.INTAKE_FIXED)


def add_arguments(parser, only=None, skip=()):
    """Add one option per field of Settings to an argparse parser (only: just these fields'
    names; skip: all but these). Help texts say "%(default)s" where they quote a default."""
    for field in dataclasses.fields(Settings):
        if (only is not None and field.name not in only) or field.name in skip:
            continue
        flag = field.metadata["flag"] or "--" + field.name.replace("_", "-")
        extra = dict(field.metadata["argparse"])
        if field.type is bool:
            parser.add_argument(flag, dest=field.name, action="store_true",
                                help=field.metadata["help"])
        else:
            parser.add_argument(flag, dest=field.name, default=field.default,
                                type=field.type if field.type in (int, float) else None,
                                help=field.metadata["help"], **extra)


def from_arguments(args):
    """The Settings that parsed arguments (from a parser given `add_arguments`) describe."""
    return Settings(**{f.name: getattr(args, f.name) for f in dataclasses.fields(Settings)})
