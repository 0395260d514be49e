using Gym.Core;

namespace Gym.Envs.Text.Sokoban;

/// <summary>
/// Generates Sokoban rooms from a seed by reverse play (as gym-sokoban does): carve a room by a random walk,
/// put the boxes on targets, then let the player walk and pull boxes at random. Every pull is the reverse of a
/// push, so the final position is solvable by construction.
/// </summary>
public static class SokobanGenerator
{
    /// <summary>Generates a level of the given size (walls included) with <paramref name="boxes"/> boxes.</summary>
    public static SokobanLevel Generate(long seed, int width, int height, int boxes, int reverseSteps)
    {
        if (width < 5 || height < 5 || width > 20 || height > 20)
            throw new ArgumentOutOfRangeException(nameof(width), $"Sokoban rooms are 5..20 cells a side (got {width}x{height}).");
        if (boxes < 1 || boxes > 6)
            throw new ArgumentOutOfRangeException(nameof(boxes), $"Sokoban rooms hold 1..6 boxes (got {boxes}).");
        SeededRandom random = new(seed, stream: 0x50C0);
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            SokobanLevel? level = TryGenerate(random, width, height, boxes, reverseSteps);
            if (level is not null)
                return level;
        }
        throw new InvalidOperationException($"Could not generate a {width}x{height} Sokoban room with {boxes} boxes from seed {seed}.");
    }

    private static SokobanLevel? TryGenerate(SeededRandom random, int width, int height, int boxCount, int reverseSteps)
    {
        int n = width * height;
        bool[] walls = new bool[n];
        Array.Fill(walls, true);
        // Carve the floor by a random walk inside the border.
        int x = random.Next(1, width - 1), y = random.Next(1, height - 1);
        int floorTarget = (int)((width - 2) * (height - 2) * 0.6);
        int carved = 0;
        for (int step = 0; step < 2000 && carved < floorTarget; step++)
        {
            if (walls[y * width + x])
            {
                walls[y * width + x] = false;
                carved++;
            }
            (string _, int dx, int dy) = SokobanLevel.Moves[random.Next(4)];
            if (random.Next(3) == 0)
            {
                // Widen the corridor so rooms are not just single-cell tunnels.
                int sx = x + dy, sy = y + dx;
                if (sx > 0 && sy > 0 && sx < width - 1 && sy < height - 1 && walls[sy * width + sx])
                {
                    walls[sy * width + sx] = false;
                    carved++;
                }
            }
            x = Math.Clamp(x + dx, 1, width - 2);
            y = Math.Clamp(y + dy, 1, height - 2);
        }
        List<int> floor = [.. Enumerable.Range(0, n).Where(i => !walls[i])];
        if (floor.Count < boxCount + 3)
            return null;
        random.Shuffle(floor);
        bool[] targets = new bool[n], boxes = new bool[n];
        for (int b = 0; b < boxCount; b++)
            targets[floor[b]] = boxes[floor[b]] = true;
        SokobanLevel solved = new(width, height, walls, targets, boxes, floor[boxCount]);
        SokobanLevel best = solved;
        int bestScore = 0;
        // Several reverse walks from the solved room; the position with the longest shortest solution wins.
        for (int walk = 0; walk < 4; walk++)
        {
            SokobanLevel level = solved.Clone();
            level.Player = floor[boxCount + random.Next(floor.Count - boxCount)];
            if (level.Boxes[level.Player])
                continue;
            for (int step = 0; step < reverseSteps; step++)
            {
                int px = level.Player % width, py = level.Player / width;
                (string _, int dx, int dy) = SokobanLevel.Moves[random.Next(4)];
                // Half the time, when a box is next to the player, step directly away from it: a pull. Without this
                // bias boxes barely move and puzzles are trivial.
                if (random.Next(2) == 0)
                {
                    foreach ((string _, int bx, int by) in SokobanLevel.Moves)
                    {
                        if (level.Boxes[(py + by) * width + px + bx] && !walls[(py - by) * width + px - bx])
                        {
                            (dx, dy) = (-bx, -by);
                            break;
                        }
                    }
                }
                int tx = px + dx, ty = py + dy;
                if (walls[ty * width + tx] || level.Boxes[ty * width + tx])
                    continue;
                int behind = (py - dy) * width + (px - dx);
                bool pull = level.Boxes[behind] && random.Next(4) != 0;
                level.Player = ty * width + tx;
                if (pull)
                {
                    level.Boxes[behind] = false;
                    level.Boxes[py * width + px] = true;
                }
                // Score a sample of the positions on the walk by their shortest solution (tiny rooms: cheap).
                if (step % 5 == 4 && !level.Solved && SokobanSolver.Solve(level, maxStates: 20_000) is { } solution && solution.Count > bestScore)
                {
                    bestScore = solution.Count;
                    best = level.Clone();
                }
            }
        }
        return bestScore == 0 ? null : best;
    }
}
