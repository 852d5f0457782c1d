class DomainError(Exception):
    """A rule refused an operation. `code` is for machines (tests, APIs); `message` for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message
