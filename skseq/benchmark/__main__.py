"""``python -m skseq.benchmark --suite quick|m3-monthly``."""

from skseq.benchmark._cli import main

main()
