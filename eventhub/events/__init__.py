"""Events of the series: Startup Week, Regional Startup Day, AI Day and others."""
