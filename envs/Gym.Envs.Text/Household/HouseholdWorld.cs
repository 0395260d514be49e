using System.Text;
using Gym.Core;

namespace Gym.Envs.Text.Household;

/// <summary>
/// The state of a household scene: receptacles (some open and close), objects in them or in the agent's hand,
/// and object states (clean, hot, cool). Commands follow ALFWorld's text syntax; <see cref="Admissible"/> lists
/// what can be done now.
/// </summary>
public sealed class HouseholdWorld
{
    internal sealed class Receptacle(string name, bool openable)
    {
        public string Name { get; } = name;
        public string Kind { get; } = name[..name.LastIndexOf(' ')];
        public bool Openable { get; } = openable;
        public bool IsOpen { get; set; }
        public bool Accessible => !Openable || IsOpen;
    }

    internal sealed class Item(string name)
    {
        public string Name { get; } = name;
        public string Kind { get; } = name[..name.LastIndexOf(' ')];
        public Receptacle? In { get; set; }
        public bool Clean { get; set; }
        public bool Hot { get; set; }
        public bool Cool { get; set; }
    }

    internal List<Receptacle> Receptacles { get; } = [];
    internal List<Item> Items { get; } = [];
    internal Receptacle? Location { get; set; }
    internal Item? Holding { get; set; }

    /// <summary>The scene type ("kitchen", ...).</summary>
    public string Scene { get; internal set; } = "";

    /// <summary>The goal type.</summary>
    public HouseholdTaskType TaskType { get; internal set; }

    /// <summary>The object type to deliver.</summary>
    public string TargetObject { get; internal set; } = "";

    /// <summary>The receptacle type to deliver it to.</summary>
    public string TargetReceptacle { get; internal set; } = "";

    /// <summary>The goal in words.</summary>
    public string Goal => TaskType switch
    {
        HouseholdTaskType.Clean => $"clean some {TargetObject} and put it in {TargetReceptacle}",
        HouseholdTaskType.Heat => $"heat some {TargetObject} and put it in {TargetReceptacle}",
        HouseholdTaskType.Cool => $"cool some {TargetObject} and put it in {TargetReceptacle}",
        _ => $"put some {TargetObject} on {TargetReceptacle}",
    };

    /// <summary>True when an object of the target type, in the required state, is in a receptacle of the target type.</summary>
    public bool GoalReached => Items.Any(i => i.Kind == TargetObject && i.In?.Kind == TargetReceptacle && TaskType switch
    {
        HouseholdTaskType.Clean => i.Clean,
        HouseholdTaskType.Heat => i.Hot,
        HouseholdTaskType.Cool => i.Cool,
        _ => true,
    });

    internal Receptacle? FindReceptacle(string name) => Receptacles.Find(r => r.Name == name);

    internal Item? FindItem(string name) => Items.Find(i => i.Name == name);

    /// <summary>The commands that are valid now, in a stable order.</summary>
    public IReadOnlyList<string> Admissible()
    {
        List<string> commands = [];
        foreach (Receptacle r in Receptacles)
        {
            if (r != Location)
                commands.Add($"go to {r.Name}");
        }
        if (Location is { } here)
        {
            if (here.Openable)
                commands.Add(here.IsOpen ? $"close {here.Name}" : $"open {here.Name}");
            if (Holding is null && here.Accessible)
            {
                foreach (Item item in Items.Where(i => i.In == here))
                    commands.Add($"take {item.Name} from {here.Name}");
            }
            if (Holding is { } held)
            {
                if (here.Accessible)
                    commands.Add($"put {held.Name} in/on {here.Name}");
                if (here.Kind == "sinkbasin" && HouseholdCatalog.Cleanable.Contains(held.Kind))
                    commands.Add($"clean {held.Name} with {here.Name}");
                if (here.Kind == "microwave" && HouseholdCatalog.Heatable.Contains(held.Kind))
                    commands.Add($"heat {held.Name} with {here.Name}");
                if (here.Kind == "fridge" && HouseholdCatalog.Coolable.Contains(held.Kind))
                    commands.Add($"cool {held.Name} with {here.Name}");
            }
            commands.Add($"examine {here.Name}");
        }
        commands.Add("inventory");
        commands.Add("look");
        return commands;
    }

    /// <summary>
    /// Applies a normalised command. Returns the message, or null when the command is not valid now
    /// (the caller reports it as an invalid action).
    /// </summary>
    public string? Apply(string command)
    {
        // "put X in Y" and "put X on Y" are accepted as spellings of "put X in/on Y".
        if (command.StartsWith("put ", StringComparison.Ordinal) && !command.Contains(" in/on ", StringComparison.Ordinal))
        {
            int at = command.IndexOf(" in ", StringComparison.Ordinal);
            if (at < 0)
                at = command.IndexOf(" on ", StringComparison.Ordinal);
            if (at > 0)
                command = $"{command[..at]} in/on {command[(at + 4)..]}";
        }
        if (!Admissible().Contains(command))
            return null;
        string[] words = command.Split(' ');
        switch (words[0])
        {
            case "go":
                Location = FindReceptacle(command[6..])!;
                return $"You arrive at {Location.Name}. {Describe(Location)}";
            case "open":
                Location!.IsOpen = true;
                return $"You open the {Location.Name}. {Describe(Location)}";
            case "close":
                Location!.IsOpen = false;
                return $"You close the {Location.Name}.";
            case "take":
                Item taken = FindItem($"{words[1]} {words[2]}")!;
                taken.In = null;
                Holding = taken;
                return $"You pick up the {taken.Name} from the {Location!.Name}.";
            case "put":
                Item put = Holding!;
                put.In = Location;
                Holding = null;
                return $"You put the {put.Name} in/on the {Location!.Name}.";
            case "clean":
                Holding!.Clean = true;
                return $"You clean the {Holding.Name} using the {Location!.Name}.";
            case "heat":
                Holding!.Hot = true;
                Holding.Cool = false;
                return $"You heat the {Holding.Name} using the {Location!.Name}.";
            case "cool":
                Holding!.Cool = true;
                Holding.Hot = false;
                return $"You cool the {Holding.Name} using the {Location!.Name}.";
            case "examine":
                return Describe(Location!);
            case "inventory":
                return Holding is null ? "You are not carrying anything." : $"You are carrying: a {Holding.Name}{States(Holding)}.";
            default:
                return Look();
        }
    }

    /// <summary>What the agent sees where it stands.</summary>
    public string Look() => Location is null
        ? $"You are in the middle of a room. Looking quickly around you, you see {string.Join(", ", Receptacles.Select(r => "a " + r.Name))}."
        : $"You are facing the {Location.Name}. {Describe(Location)}";

    private string Describe(Receptacle r)
    {
        if (!r.Accessible)
            return $"The {r.Name} is closed.";
        List<Item> inside = [.. Items.Where(i => i.In == r)];
        string contents = inside.Count == 0 ? "nothing" : string.Join(", ", inside.Select(i => $"a {i.Name}{States(i)}"));
        return r.Openable ? $"The {r.Name} is open. In it, you see {contents}." : $"On the {r.Name}, you see {contents}.";
    }

    private static string States(Item i)
    {
        List<string> s = [];
        if (i.Clean) s.Add("clean");
        if (i.Hot) s.Add("hot");
        if (i.Cool) s.Add("cool");
        return s.Count == 0 ? "" : $" ({string.Join(", ", s)})";
    }

    /// <summary>A canonical, history-free description of the whole state.</summary>
    public string StateKey()
    {
        StringBuilder sb = new();
        sb.Append("at=").Append(Location?.Name ?? "-").Append(";hold=").Append(Holding?.Name ?? "-");
        foreach (Receptacle r in Receptacles.Where(r => r.IsOpen))
            sb.Append(";open=").Append(r.Name);
        foreach (Item i in Items)
            sb.Append(';').Append(i.Name).Append('@').Append(i.In?.Name ?? "hand").Append(States(i));
        return sb.ToString();
    }
}
