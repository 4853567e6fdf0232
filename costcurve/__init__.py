"""costcurve: the inference cost curve, from capture to warehouse to alert."""
