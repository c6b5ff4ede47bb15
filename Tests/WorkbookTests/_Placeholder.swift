// placeholder until the helper writes this target
