"""`python -m enquiry.cli`."""

from enquiry.cli import main

main()
