"""`python -m fieldreport`: the same as the `fieldreport` command."""

from fieldreport.apps.cli import main

if __name__ == "__main__":
    main()
