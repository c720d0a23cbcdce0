from slacheck.cli import main

main()
