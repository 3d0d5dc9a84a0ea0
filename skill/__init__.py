"""Small Steps: the Alexa voice layer around the domain."""
