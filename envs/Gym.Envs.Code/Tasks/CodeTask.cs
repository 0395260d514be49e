using Gym.Core;

namespace Gym.Envs.Code.Tasks;

/// <summary>
/// A coding task read from a task's config: the files the agent starts with, the visible tests it may run, the
/// hidden tests that grade a submission, and the reference files the oracle submits. Tests are Python files
/// whose <c>test_*</c> functions are run by Gym's own runner (no pytest needed).
/// </summary>
public sealed record CodeTask(
    IReadOnlyDictionary<string, string> Files,
    IReadOnlyDictionary<string, string> VisibleTests,
    IReadOnlyDictionary<string, string> HiddenTests,
    IReadOnlyDictionary<string, string> Reference)
{
    /// <summary>Reads the config of <paramref name="task"/>; errors name the task and the key.</summary>
    public static CodeTask From(TaskSpec task)
    {
        ArgumentNullException.ThrowIfNull(task);
        CodeConfig config = task.ConfigAs<CodeConfig>();
        IReadOnlyDictionary<string, string> Relative(IReadOnlyDictionary<string, string> files) =>
            files.ToDictionary(p => Sandbox.SandboxPaths.Relative(p.Key), p => p.Value, StringComparer.Ordinal);
        if (config.HiddenTests is null)
            throw new InvalidDataException($"Task {task.Id}: config.hiddenTests is missing.");
        CodeTask code = new(Relative(config.Files), Relative(config.VisibleTests), Relative(config.HiddenTests), Relative(config.Reference));
        if (code.HiddenTests.Count == 0)
            throw new InvalidDataException($"Task {task.Id}: config.hiddenTests is empty; a submission could not be graded.");
        return code;
    }
}
