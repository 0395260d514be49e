using Gym.Core;

namespace Gym.Envs.Text.FrozenLake;

/// <summary>
/// FrozenLake on a text grid, configured by <see cref="FrozenLakeConfig"/>. Reward 1 at the goal; falling in a hole
/// ends the episode with 0.
/// </summary>
public sealed class FrozenLakeEnvironment : TextEnvironment
{
    /// <summary>The registered id.</summary>
    public const string Id = "text/frozenlake-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = TextSpec(Id,
        "FrozenLake: walk from S to the goal G without falling into a hole H; seeded maps, optional slipperiness.",
        "One of: left, down, right, up. The map shows P (you), S (start), F (frozen), H (hole) and G (goal).",
        maxSteps: 40);

    private static readonly string[] Actions = [.. FrozenLakeMap.Moves.Select(m => m.Name)];
    private FrozenLakeMap _map = null!;
    private int _player;
    private bool _slippery;
    private bool _describe;
    private SeededRandom _random = null!;

    /// <inheritdoc />
    public override EnvSpec Spec => EnvSpec;

    /// <inheritdoc />
    protected override Observation Reset(TaskSpec task, long seed)
    {
        FrozenLakeConfig config = task.ConfigAs<FrozenLakeConfig>();
        _map = FrozenLakeMap.Generate(seed, config.Size, config.FrozenProbability, config.Corners);
        _player = _map.Start;
        _slippery = config.Slippery;
        _describe = config.Describe;
        _random = new SeededRandom(seed, stream: 0x511);
        return Observe(null);
    }

    /// <inheritdoc />
    protected override StepResult Step(string action)
    {
        int move = MoveIndex(action, Actions);
        if (move < 0)
        {
            string error = $"Invalid action '{Shown(action)}': answer with one of left, down, right, up.";
            return new StepResult(Observe(error), 0, false, false, StepInfo.Invalid(error));
        }
        int actual = _slippery ? (move + _random.Next(3) + 3) % 4 : move;
        _player = _map.Apply(_player, actual);
        char tile = _map[_player];
        bool goal = tile == 'G', hole = tile == 'H';
        string? note = hole ? "You fell into a hole." : goal ? "You reached the goal." : null;
        StepInfo info = new() { ParsedAction = Actions[move], Success = goal, Score = goal ? 1.0 : 0.0 };
        return new StepResult(Observe(note), goal ? 1.0 : 0.0, goal || hole, false, info);
    }

    // "At row 2, column 3; left F, down H, right G, up # (# is the edge)": fixed widths, so a small policy finds
    // each neighbour at the same place in every prompt.
    private string Surroundings()
    {
        int size = _map.Size;
        string tiles = string.Join(", ", Enumerable.Range(0, 4).Select(m =>
        {
            int next = _map.Apply(_player, m);
            return $"{Actions[m]} {(next == _player ? '#' : _map[next])}";
        }));
        return $"At row {_player / size + 1}, column {_player % size + 1}; {tiles} (# is the edge).";
    }

    private Observation Observe(string? feedback)
    {
        string grid = _map.Render(_player);
        // The legend lives in the action syntax (the system message): observations stay short for byte-level policies.
        string text = feedback is null ? grid : feedback + "\n" + grid;
        if (_describe)
            text += "\n" + Surroundings();
        return new Observation { Text = text, StateKey = grid, AdmissibleActions = Actions, Feedback = feedback };
    }
}
