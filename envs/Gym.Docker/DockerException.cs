using System.Net;
using Gym.Core;

namespace Gym.Docker;

/// <summary>The Docker daemon refused a request: the HTTP status and the daemon's own message.</summary>
public class DockerException(HttpStatusCode status, string operation, string message)
    : GymException(GymErrorKind.Failed, $"docker: {operation}: {(int)status} {message}")
{
    /// <summary>The HTTP status the daemon answered with.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The daemon's message.</summary>
    public string DaemonMessage { get; } = message;

    internal static DockerException For(HttpStatusCode status, string operation, string message) => status switch
    {
        HttpStatusCode.NotFound => new DockerNotFoundException(operation, message),
        HttpStatusCode.Conflict => new DockerConflictException(operation, message),
        _ => new DockerException(status, operation, message),
    };
}

/// <summary>The image, container or exec instance does not exist (404).</summary>
public sealed class DockerNotFoundException(string operation, string message) : DockerException(HttpStatusCode.NotFound, operation, message);

/// <summary>The request conflicts with the object's state, e.g. a name in use or removing a running container (409).</summary>
public sealed class DockerConflictException(string operation, string message) : DockerException(HttpStatusCode.Conflict, operation, message);

/// <summary>No Docker daemon answers at the endpoint.</summary>
public sealed class DockerUnavailableException(string endpoint, Exception inner)
    : GymException(GymErrorKind.Unavailable, $"No Docker daemon answers at {endpoint}: {inner.Message} (start it with `dockerd &`, or run scripts/bootstrap)", inner)
{
    /// <summary>The endpoint tried.</summary>
    public string Endpoint { get; } = endpoint;
}
