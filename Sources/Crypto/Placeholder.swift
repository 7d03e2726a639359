// Placeholder until the Crypto library lands.
