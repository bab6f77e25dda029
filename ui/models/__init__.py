"""Qt item models over service DTOs."""
