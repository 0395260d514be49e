using System.Text;
using Gym.Core;

namespace Gym.Envs.Text.FrozenLake;

/// <summary>A FrozenLake map: S start, F frozen, H hole, G goal; row-major.</summary>
public sealed class FrozenLakeMap
{
    /// <summary>Creates a map from its rows.</summary>
    public FrozenLakeMap(string[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Rows = rows;
        Size = rows.Length;
        if (rows.Any(r => r.Length != Size))
            throw new FormatException("A FrozenLake map must be square.");
        Start = string.Concat(rows).IndexOf('S', StringComparison.Ordinal);
    }

    /// <summary>The map rows.</summary>
    public string[] Rows { get; }

    /// <summary>Cells per side.</summary>
    public int Size { get; }

    /// <summary>The start cell (-1 when the map has no S, as in an observation where the player covers it).</summary>
    public int Start { get; }

    /// <summary>The tile at a cell.</summary>
    public char this[int cell] => Rows[cell / Size][cell % Size];

    /// <summary>The four moves in Gymnasium's order.</summary>
    public static readonly (string Name, int Dx, int Dy)[] Moves = [("left", -1, 0), ("down", 0, 1), ("right", 1, 0), ("up", 0, -1)];

    /// <summary>The cell reached by move <paramref name="move"/> from <paramref name="cell"/> (staying put at an edge).</summary>
    public int Apply(int cell, int move)
    {
        int x = Math.Clamp(cell % Size + Moves[move].Dx, 0, Size - 1);
        int y = Math.Clamp(cell / Size + Moves[move].Dy, 0, Size - 1);
        return y * Size + x;
    }

    /// <summary>The map with the player drawn as P.</summary>
    public string Render(int player)
    {
        StringBuilder sb = new();
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
                sb.Append(y * Size + x == player ? 'P' : Rows[y][x]);
            if (y < Size - 1)
                sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Moves of a shortest hole-free path from <paramref name="from"/> to the goal, or null.</summary>
    public IReadOnlyList<string>? ShortestPath(int from)
    {
        int n = Size * Size;
        int[] parent = new int[n], via = new int[n];
        Array.Fill(parent, -2);
        parent[from] = -1;
        Queue<int> queue = new([from]);
        while (queue.Count > 0)
        {
            int cell = queue.Dequeue();
            if (this[cell] == 'G')
            {
                List<string> moves = [];
                for (int c = cell; parent[c] >= 0; c = parent[c])
                    moves.Add(Moves[via[c]].Name);
                moves.Reverse();
                return moves;
            }
            for (int m = 0; m < 4; m++)
            {
                int next = Apply(cell, m);
                if (parent[next] != -2 || this[next] == 'H')
                    continue;
                parent[next] = cell;
                via[next] = m;
                queue.Enqueue(next);
            }
        }
        return null;
    }

    /// <summary>
    /// A random map whose goal is reachable from its start. With <paramref name="corners"/> the start is the
    /// top-left cell and the goal the bottom-right one, as in Gymnasium's <c>generate_random_map</c>; otherwise both
    /// are placed at random, at least <c>size - 1</c> moves apart.
    /// </summary>
    public static FrozenLakeMap Generate(long seed, int size, double frozenProbability, bool corners = false)
    {
        if (size is < 3 or > 16)
            throw new ArgumentOutOfRangeException(nameof(size), $"FrozenLake maps are 3..16 cells a side (got {size}).");
        if (frozenProbability is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(frozenProbability), "frozenProbability must be in (0, 1].");
        SeededRandom random = new(seed, stream: 0xF0F0);
        for (int attempt = 0; attempt < 10_000; attempt++)
        {
            char[] cells = new char[size * size];
            for (int i = 0; i < cells.Length; i++)
                cells[i] = random.NextDouble() < frozenProbability ? 'F' : 'H';
            int start = corners ? 0 : random.Next(cells.Length);
            int goal = corners ? cells.Length - 1 : random.Next(cells.Length);
            int distance = Math.Abs(start % size - goal % size) + Math.Abs(start / size - goal / size);
            if (distance < size - 1)
                continue;
            cells[start] = 'S';
            cells[goal] = 'G';
            FrozenLakeMap map = new([.. Enumerable.Range(0, size).Select(r => new string(cells, r * size, size))]);
            if (map.ShortestPath(start) is not null)
                return map;
        }
        throw new InvalidOperationException($"Could not generate a solvable {size}x{size} FrozenLake map from seed {seed}.");
    }
}
