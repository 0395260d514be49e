namespace Gym.Core.Trajectories;

/// <summary>The kinds of damage a trajectory file can have.</summary>
public enum TrajectoryIssueKind
{
    /// <summary>An incomplete final record: the writer was killed while appending.</summary>
    TornTail,

    /// <summary>Bytes that are not an intact record (a failed checksum, a record that does not decode, garbage).</summary>
    Corrupt,
}
