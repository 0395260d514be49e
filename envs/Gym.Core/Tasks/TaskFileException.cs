namespace Gym.Core.Tasks;

/// <summary>A task or suite file is invalid; the message names the file and the JSON path of the problem.</summary>
public sealed class TaskFileException : GymException
{
    /// <summary>Creates the error for <paramref name="file"/> at <paramref name="jsonPath"/>.</summary>
    public TaskFileException(string file, string jsonPath, string problem, Exception? inner = null)
        : base(GymErrorKind.BadInput, $"{file}: {jsonPath}: {problem}", inner)
    {
        File = file;
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>The file that is wrong.</summary>
    public string File { get; }

    /// <summary>Where in it, as a JSON path ("$.tasks[3].seed").</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
