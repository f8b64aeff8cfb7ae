"""Instructor commands: `python -m autograder {expected,release} [ID ...]`."""

import argparse
import sys

from . import expected_values, provided
from .course import CourseError, assignment_ids
from .release import release


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("expected", help="regenerate solutions/<id>/expected.json "
                                                "from the reference solutions")
    cmd.add_argument("ids", nargs="*", metavar="ID", help="assignment ids (default: all)")
    cmd.add_argument("--check", action="store_true",
                     help="change nothing; exit 1 if a stored file is not current")
    cmd = commands.add_parser("release", help="regenerate the provided earlier functions and the "
                                               "expected values, then notebooks/ from solutions/ "
                                               "with nbgrader")
    cmd.add_argument("ids", nargs="*", metavar="ID", help="assignment ids (default: all)")
    args = parser.parse_args(argv)

    try:
        if args.command == "expected":
            stale = []
            for assignment_id in args.ids or assignment_ids():
                if args.check:
                    if not expected_values.is_current(assignment_id):
                        stale.append(assignment_id)
                else:
                    print(f"wrote {expected_values.write(assignment_id)}")
            if stale:
                print("not current: " + ", ".join(stale) + " (run `python -m autograder expected`)")
                return 1
        elif args.command == "release":
            for assignment_id in args.ids or assignment_ids():
                written = [provided.write(assignment_id), expected_values.write(assignment_id)]
                for path in filter(None, written):
                    print(f"wrote {path}")
            for path in release(args.ids or None):
                print(f"released {path}")
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
