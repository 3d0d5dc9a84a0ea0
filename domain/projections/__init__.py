"""Read models built from the event log: today's schedule, weekly summaries, insights."""
