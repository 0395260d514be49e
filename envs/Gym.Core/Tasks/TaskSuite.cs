namespace Gym.Core.Tasks;

/// <summary>A named set of tasks with splits, loaded from <c>tasks/&lt;family&gt;/&lt;suite&gt;/suite.json</c>.</summary>
public sealed class TaskSuite
{
    /// <summary>Creates a suite.</summary>
    public TaskSuite(string name, string description, string directory, IReadOnlyList<TaskSpec> tasks)
    {
        Name = name;
        Description = description;
        Directory = directory;
        Tasks = tasks;
    }

    /// <summary>The suite's name ("text/sokoban").</summary>
    public string Name { get; }

    /// <summary>What the suite measures.</summary>
    public string Description { get; }

    /// <summary>The directory holding the suite file and its assets.</summary>
    public string Directory { get; }

    /// <summary>All tasks, in file order.</summary>
    public IReadOnlyList<TaskSpec> Tasks { get; }

    /// <summary>The split names present, in first-seen order.</summary>
    public IReadOnlyList<string> Splits => [.. Tasks.Select(t => t.Split).Distinct(StringComparer.Ordinal)];

    /// <summary>A suite holding only the first <paramref name="count"/> tasks of <paramref name="split"/> (all splits when null).</summary>
    public TaskSuite Take(string? split, int count) => new(Name, Description, Directory, [.. Split(split).Take(count)]);

    /// <summary>The tasks of one split, or all tasks when <paramref name="split"/> is null.</summary>
    public IReadOnlyList<TaskSpec> Split(string? split)
    {
        if (split is null)
            return Tasks;
        List<TaskSpec> selected = [.. Tasks.Where(t => t.Split == split)];
        if (selected.Count == 0)
            throw new ArgumentException($"Suite '{Name}' has no split '{split}'. Splits: {string.Join(", ", Splits)}.", nameof(split));
        return selected;
    }
}
