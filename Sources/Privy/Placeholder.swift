// Placeholder until the Privy library lands.
