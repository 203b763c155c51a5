"""One module per `talk` subcommand; each defines `register(subparsers)` and `run(args)`."""
