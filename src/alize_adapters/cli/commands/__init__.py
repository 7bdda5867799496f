"""The ``alize`` commands, one module each, registered in name order."""
