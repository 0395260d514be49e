namespace Gym.Envs.Code.Tasks;

/// <summary>The task config of <c>code/python-v1</c>: files as relative paths mapped to their contents.</summary>
public sealed record CodeConfig
{
    /// <summary>The files the agent starts with.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>Tests the agent may run (<c>&lt;test/&gt;</c>): Python files whose <c>test_*</c> functions Gym's runner calls.</summary>
    public IReadOnlyDictionary<string, string> VisibleTests { get; init; } = new Dictionary<string, string>();

    /// <summary>The tests that grade a submission; required and not empty.</summary>
    public IReadOnlyDictionary<string, string>? HiddenTests { get; init; }

    /// <summary>The files the oracle writes before it submits.</summary>
    public IReadOnlyDictionary<string, string> Reference { get; init; } = new Dictionary<string, string>();
}
