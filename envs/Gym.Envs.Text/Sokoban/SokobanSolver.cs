namespace Gym.Envs.Text.Sokoban;

/// <summary>Finds a shortest move sequence (breadth-first search over player and box positions).</summary>
public static class SokobanSolver
{
    /// <summary>The moves ("up", ...) of a shortest solution, or null when none exists within <paramref name="maxStates"/>.</summary>
    public static IReadOnlyList<string>? Solve(SokobanLevel start, int maxStates = 2_000_000)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.Solved)
            return [];
        Dictionary<string, (string? Parent, int Move)> seen = new(StringComparer.Ordinal) { [Key(start)] = (null, -1) };
        Queue<SokobanLevel> queue = new();
        queue.Enqueue(start);
        while (queue.Count > 0 && seen.Count < maxStates)
        {
            SokobanLevel level = queue.Dequeue();
            string key = Key(level);
            for (int m = 0; m < SokobanLevel.Moves.Length; m++)
            {
                SokobanLevel next = level.Clone();
                if (!next.TryMove(SokobanLevel.Moves[m].Dx, SokobanLevel.Moves[m].Dy, out bool pushed))
                    continue;
                if (pushed && IsDeadCorner(next))
                    continue;
                string nextKey = Key(next);
                if (seen.ContainsKey(nextKey))
                    continue;
                seen[nextKey] = (key, m);
                if (next.Solved)
                    return Path(seen, nextKey);
                queue.Enqueue(next);
            }
        }
        return null;
    }

    private static List<string> Path(Dictionary<string, (string? Parent, int Move)> seen, string key)
    {
        List<string> moves = [];
        while (seen[key] is (string parent, int move) && move >= 0)
        {
            moves.Add(SokobanLevel.Moves[move].Name);
            key = parent;
        }
        moves.Reverse();
        return moves;
    }

    private static string Key(SokobanLevel level)
    {
        Span<char> chars = stackalloc char[level.Boxes.Length + 1];
        for (int i = 0; i < level.Boxes.Length; i++)
            chars[i] = level.Boxes[i] ? '1' : '0';
        chars[^1] = (char)level.Player;
        return new string(chars);
    }

    // A box in a corner that is not a target can never move again: prune.
    private static bool IsDeadCorner(SokobanLevel level)
    {
        int w = level.Width;
        for (int i = 0; i < level.Boxes.Length; i++)
        {
            if (!level.Boxes[i] || level.Targets[i])
                continue;
            bool up = level.Walls[i - w], down = level.Walls[i + w], left = level.Walls[i - 1], right = level.Walls[i + 1];
            if ((up || down) && (left || right))
                return true;
        }
        return false;
    }
}
