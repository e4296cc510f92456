from mapreport.cli import main

main()
