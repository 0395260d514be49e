namespace Gym.Core;

/// <summary>What kind of error a <see cref="GymException"/> is, for whoever decides what happens next (the CLI's exit code).</summary>
public enum GymErrorKind
{
    /// <summary>The input was wrong (a task file, a config, an agent's action): whoever wrote it can correct it.</summary>
    BadInput,
    /// <summary>Something Gym needs is not there (the Docker daemon, a browser).</summary>
    Unavailable,
    /// <summary>Something failed while a valid request was carried out.</summary>
    Failed,
}

/// <summary>
/// The root of the errors Gym raises on purpose; each says what went wrong and where. Catch this type to handle
/// all of them; <see cref="Kind"/> says which sort of error it is.
/// </summary>
public abstract class GymException(GymErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What kind of error this is.</summary>
    public GymErrorKind Kind { get; } = kind;
}
