// Placeholder until the HTTPClient library lands.
