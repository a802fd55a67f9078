"""The running app: the composition root, the controller between the core and the shells, the
presenters, the command socket and its handlers, wall-clock jobs, signal watch, the language switch."""
