"""Run the command line as `python -m wiqnet`."""

from wiqnet.cli import main

main()
