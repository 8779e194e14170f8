from catalog_cli.cli import main

main()
