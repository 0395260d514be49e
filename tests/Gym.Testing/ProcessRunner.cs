using System.Diagnostics;

namespace Gym.Testing;

/// <summary>Runs an external program (node, python) for interop tests, with a hard timeout.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="fileName"/> to its end; kills it and throws <see cref="TimeoutException"/> after <paramref name="timeoutMs"/>.</summary>
    public static (int ExitCode, string Output, string Error) Run(string fileName, IEnumerable<string> arguments, string workingDirectory, int timeoutMs = 120_000)
    {
        ProcessStartInfo start = new(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments)
            start.ArgumentList.Add(a);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in {timeoutMs} ms.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
