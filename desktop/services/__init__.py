"""The application's operations, shared by the window and the command line."""
