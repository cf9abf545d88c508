"""The seat screens: one role's or staff member's own view of a running exercise."""
