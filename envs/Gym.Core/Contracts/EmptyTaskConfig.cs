namespace Gym.Core;

/// <summary>The config of an environment that takes none: read through <see cref="TaskSpec.ConfigAs{T}"/>, any key is refused.</summary>
public sealed record EmptyTaskConfig;
