"""Exhibition booths: floor plans, exhibitor applications, the optimizer, maps and documents."""
