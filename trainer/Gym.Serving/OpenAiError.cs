using Gym.Core;

namespace Gym.Serving;

/// <summary>A request the server refuses, answered in the OpenAI error shape with its HTTP status.</summary>
/// <param name="status">The HTTP status (400 for bad input, 404 for an unknown model).</param>
/// <param name="message">What is wrong and where.</param>
/// <param name="param">The request field at fault, when there is one.</param>
/// <param name="code">A short machine-readable code, when there is one.</param>
public sealed class OpenAiError(int status, string message, string? param = null, string? code = null)
    : GymException(status < 500 ? GymErrorKind.BadInput : GymErrorKind.Failed, message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The request field at fault.</summary>
    public string? Param { get; } = param;

    /// <summary>A short machine-readable code.</summary>
    public string? Code { get; } = code;

    /// <summary>A 400 about field <paramref name="param"/>.</summary>
    public static OpenAiError Invalid(string param, string message) => new(400, $"{param}: {message}", param);
}
