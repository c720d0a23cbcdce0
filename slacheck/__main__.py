from slacheck.entry import main

main()
