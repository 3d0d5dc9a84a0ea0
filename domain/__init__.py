"""Small Steps: the event-sourced Behavioral Activation domain."""
