using System.Text;

namespace Gym.Envs.Text.Sokoban;

/// <summary>
/// A Sokoban position: the fixed room (walls, targets) and the moving parts (player, boxes), on a grid
/// indexed row-major. Rendered with the classic characters: # wall, . target, $ box, * box on target,
/// @ player, + player on target.
/// </summary>
public sealed class SokobanLevel
{
    /// <summary>Creates a level.</summary>
    public SokobanLevel(int width, int height, bool[] walls, bool[] targets, bool[] boxes, int player)
    {
        Width = width;
        Height = height;
        Walls = walls;
        Targets = targets;
        Boxes = boxes;
        Player = player;
    }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Wall cells.</summary>
    public bool[] Walls { get; }

    /// <summary>Target cells.</summary>
    public bool[] Targets { get; }

    /// <summary>Cells holding a box.</summary>
    public bool[] Boxes { get; }

    /// <summary>The player's cell.</summary>
    public int Player { get; set; }

    /// <summary>The four moves, in the order they are listed to agents.</summary>
    public static readonly (string Name, int Dx, int Dy)[] Moves = [("up", 0, -1), ("down", 0, 1), ("left", -1, 0), ("right", 1, 0)];

    /// <summary>Boxes standing on targets.</summary>
    public int BoxesOnTargets => Boxes.Where((b, i) => b && Targets[i]).Count();

    /// <summary>All boxes.</summary>
    public int BoxCount => Boxes.Count(b => b);

    /// <summary>True when every box is on a target.</summary>
    public bool Solved => BoxesOnTargets == BoxCount;

    /// <summary>A deep copy.</summary>
    public SokobanLevel Clone() => new(Width, Height, Walls, Targets, (bool[])Boxes.Clone(), Player);

    /// <summary>Moves the player one cell, pushing a box if there is one and the cell behind it is free. Returns whether anything moved.</summary>
    public bool TryMove(int dx, int dy, out bool pushed)
    {
        pushed = false;
        int x = Player % Width, y = Player / Width;
        int nx = x + dx, ny = y + dy;
        if (!Inside(nx, ny) || Walls[ny * Width + nx])
            return false;
        int next = ny * Width + nx;
        if (Boxes[next])
        {
            int bx = nx + dx, by = ny + dy;
            if (!Inside(bx, by) || Walls[by * Width + bx] || Boxes[by * Width + bx])
                return false;
            Boxes[next] = false;
            Boxes[by * Width + bx] = true;
            pushed = true;
        }
        Player = next;
        return true;
    }

    private bool Inside(int x, int y) => x >= 0 && y >= 0 && x < Width && y < Height;

    /// <summary>The grid as text, one row per line.</summary>
    public string Render()
    {
        StringBuilder sb = new((Width + 1) * Height);
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                int i = y * Width + x;
                sb.Append(Walls[i] ? '#'
                    : i == Player ? (Targets[i] ? '+' : '@')
                    : Boxes[i] ? (Targets[i] ? '*' : '$')
                    : Targets[i] ? '.' : '_');
            }
            if (y < Height - 1)
                sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Parses a grid rendered by <see cref="Render"/> ('_' or ' ' for floor).</summary>
    public static SokobanLevel Parse(string grid)
    {
        string[] rows = grid.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int height = rows.Length, width = rows.Max(r => r.Length);
        bool[] walls = new bool[width * height], targets = new bool[width * height], boxes = new bool[width * height];
        int player = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                char c = x < rows[y].Length ? rows[y][x] : '#';
                switch (c)
                {
                    case '#': walls[i] = true; break;
                    case '.': targets[i] = true; break;
                    case '$': boxes[i] = true; break;
                    case '*': boxes[i] = targets[i] = true; break;
                    case '@': player = i; break;
                    case '+': player = i; targets[i] = true; break;
                    case '_' or ' ': break;
                    default: throw new FormatException($"Unknown Sokoban cell '{c}' at row {y}, column {x}.");
                }
            }
        }
        if (player < 0)
            throw new FormatException("The Sokoban grid has no player.");
        return new SokobanLevel(width, height, walls, targets, boxes, player);
    }
}
