using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Gym.Envs.Gui.Accessibility;

/// <summary>One element on the screen as its application's accessibility tree describes it.</summary>
/// <param name="Role">AT-SPI's role name ("push button", "menu item", "table cell", "text", ...).</param>
/// <param name="Name">Its accessible name (a label, a file name; often empty).</param>
/// <param name="X">Left edge on the screen, or null when the application gives no position.</param>
/// <param name="Y">Top edge on the screen.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
/// <param name="States">The states worth an agent's attention (focused, selected, checked, ...).</param>
/// <param name="Text">The text of an editable or text element (cut at <see cref="AccessibilityTree.MaxText"/>), or null.</param>
/// <param name="Depth">Depth below the window, counting only the elements listed.</param>
public sealed record AccessibleElement(string Role, string Name, int? X, int Y, int Width, int Height, IReadOnlyList<string> States, string? Text, int Depth)
{
    /// <summary>The element's centre.</summary>
    public (int X, int Y) Centre => ((X ?? 0) + Width / 2, Y + Height / 2);
}

/// <summary>
/// Reads the accessibility trees of a display's applications over AT-SPI (the accessibility bus of
/// <see cref="Desktop.VirtualDisplay"/>, where GTK's bridge registers every application with the registry daemon),
/// keeping the elements that are showing, and writes them as text with positions. A level of the tree costs one
/// round trip for all of its elements; an application that does not answer in time is left out, and said so.
/// </summary>
public sealed partial class AccessibilityTree : IDisposable
{
    /// <summary>The most elements read per observation.</summary>
    public const int MaxElements = 1500;

    /// <summary>The most characters of an element's text kept.</summary>
    public const int MaxText = 400;

    private const string Accessible = "org.a11y.atspi.Accessible";
    private const string Properties = "org.freedesktop.DBus.Properties";

    // AT-SPI's state bits (atspi-constants.h) worth showing, and the ones the walk needs.
    private static readonly (int Bit, string Name)[] ShownStates = [(12, "focused"), (23, "selected"), (4, "checked"), (20, "pressed"), (10, "expanded")];
    private const int Showing = 25, Sensitive = 24;

    // Containers that say nothing by themselves: listed only when named; their children stand in for them.
    private static readonly HashSet<string> Containers = new(StringComparer.Ordinal)
    {
        "filler", "panel", "layered pane", "split pane", "scroll pane", "viewport", "page tab list", "tool bar", "menu bar", "section", "unknown", "redundant object", "glass pane", "root pane", "internal frame", "option pane", "drawing area",
    };

    // Roles whose text content is read (a label's text is its name already).
    private static readonly HashSet<string> TextRoles = new(StringComparer.Ordinal) { "text", "entry", "terminal", "paragraph", "document text", "spin button", "editbar" };

    private readonly string _address;
    private readonly TimeSpan _timeout;
    private DBusConnection? _bus;

    private readonly ILogger _logger;

    /// <summary>Reads trees from the accessibility bus at <paramref name="address"/>, each read taking at most <paramref name="timeout"/>.</summary>
    public AccessibilityTree(string address, TimeSpan timeout, ILogger? logger = null)
    {
        _address = address;
        _timeout = timeout;
        _logger = logger ?? NullLogger.Instance;
    }

    private sealed record Node(string Bus, string Path, bool IsApplication)
    {
        public string Role = "", Name = "";
        public int? X;
        public int Y, Width, Height;
        public List<string> States = [];
        public bool Enabled = true;
        public bool Showing;
        public string? Text;
        public List<Node> Children = [];
    }

    /// <summary>The showing elements of every application, window by window, in tree order; <c>Complete</c> is false when one did not answer in time.</summary>
    public (List<AccessibleElement> Elements, bool Complete) Read()
    {
        Stopwatch clock = Stopwatch.StartNew();
        TimeSpan Left() => _timeout - clock.Elapsed;
        if (_bus is not { IsOpen: true })
        {
            _bus?.Dispose();
            _bus = DBusConnection.Open(_address, _timeout, _logger);
        }
        DBusReply? apps = _bus.Call(new DBusCall("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root", Accessible, "GetChildren"), Left());
        if (apps is not { Ok: true })
            return ([], false);
        List<Node> roots = [.. References(apps.Body[0]).Select(r => new Node(r.Bus, r.Path, true))];
        List<Node> level = roots;
        bool complete = true;
        int count = 0;
        while (level.Count > 0 && _bus.IsOpen)
        {
            // States first: most elements of a tree are hidden (closed menus' items), and the rest is asked of the showing ones only.
            DBusReply?[] states = _bus.CallAll([.. level.Select(n => new DBusCall(n.Bus, n.Path, Accessible, "GetState"))], Left());
            if (!_bus.IsOpen)
            {
                complete = false;
                break;
            }
            List<Node> showing = [.. level.Where((n, i) => states[i] is { Ok: true } s && IsShowing(n, s))];
            DBusReply?[] replies = _bus.CallAll([.. showing.SelectMany(Describe)], Left());
            List<Node> next = [];
            for (int i = 0; i < showing.Count; i++)
            {
                Node node = showing[i];
                if (!Fill(node, replies.AsSpan(i * 4, 4)))
                {
                    complete = false;
                    continue;
                }
                foreach ((string bus, string path) in References(replies[i * 4 + 3]!.Body[0]))
                {
                    if (++count > MaxElements)
                        break;
                    Node child = new(bus, path, false);
                    node.Children.Add(child);
                    next.Add(child);
                }
            }
            complete &= count <= MaxElements;
            level = next;
        }
        ReadTexts(roots, Left());
        complete &= _bus.IsOpen;
        List<AccessibleElement> elements = [];
        foreach (Node root in roots)
            foreach (Node window in root.Children.Where(w => w.Showing))
                Flatten(window, 0, elements);
        return (elements, complete);
    }

    // Name, role, position and children: four calls per element, answered together.
    private static IEnumerable<DBusCall> Describe(Node n) =>
    [
        new(n.Bus, n.Path, Properties, "Get", "ss", Accessible, "Name"),
        new(n.Bus, n.Path, Accessible, "GetRoleName"),
        new(n.Bus, n.Path, "org.a11y.atspi.Component", "GetExtents", "u", 0u),
        new(n.Bus, n.Path, Accessible, "GetChildren"),
    ];

    // Whether the element is showing (an application always counts), keeping the states an agent is shown.
    private static bool IsShowing(Node node, DBusReply state)
    {
        uint[] bits = [.. ((List<object>)state.Body[0]).Cast<uint>()];
        bool Has(int bit) => bits.Length > bit / 32 && (bits[bit / 32] & (1u << (bit % 32))) != 0;
        node.Showing = node.IsApplication || Has(Showing);
        node.States = [.. ShownStates.Where(s => Has(s.Bit)).Select(s => s.Name)];
        node.Enabled = Has(Sensitive);
        return node.Showing;
    }

    // Fills in what the replies say; false when the element did not answer (in time, or at all).
    private static bool Fill(Node node, ReadOnlySpan<DBusReply?> r)
    {
        if (r[1] is not { Ok: true } role || r[3] is not { Ok: true })
        {
            node.Showing = false;
            return false;
        }
        node.Role = (string)role.Body[0];
        node.Name = r[0] is { Ok: true } name ? ((string)name.Body[0]).Trim() : "";
        if (r[2] is { Ok: true } extents && extents.Body[0] is object[] e && (int)e[2] > 0 && (int)e[3] > 0 && (int)e[0] > int.MinValue)
            (node.X, node.Y, node.Width, node.Height) = ((int)e[0], (int)e[1], (int)e[2], (int)e[3]);
        return true;
    }

    private void ReadTexts(List<Node> roots, TimeSpan left)
    {
        List<Node> texts = [.. roots.SelectMany(All).Where(n => TextRoles.Contains(n.Role))];
        if (texts.Count == 0 || !_bus!.IsOpen || left <= TimeSpan.Zero)
            return;
        DBusReply?[] replies = _bus.CallAll([.. texts.Select(n => new DBusCall(n.Bus, n.Path, "org.a11y.atspi.Text", "GetText", "ii", 0, MaxText + 1))], left);
        for (int i = 0; i < texts.Count; i++)
            if (replies[i] is { Ok: true } reply)
                texts[i].Text = (string)reply.Body[0] is { Length: > MaxText } long_ ? long_[..MaxText] + "…" : (string)reply.Body[0];
    }

    private static IEnumerable<Node> All(Node n) => n.Children.SelectMany(All).Prepend(n);

    private static void Flatten(Node node, int depth, List<AccessibleElement> into)
    {
        bool listed = node.Name.Length > 0 || node.Text is not null || !Containers.Contains(node.Role);
        if (listed)
        {
            List<string> states = [.. node.States];
            if (!node.Enabled)
                states.Add("disabled");
            into.Add(new AccessibleElement(node.Role, node.Name, node.X, node.Y, node.Width, node.Height, states, node.Text, depth));
        }
        foreach (Node child in node.Children.Where(c => c.Showing))
            Flatten(child, listed ? depth + 1 : depth, into);
    }

    private static IEnumerable<(string Bus, string Path)> References(object array) =>
        ((List<object>)array).Cast<object[]>().Select(r => ((string)r[0], (string)r[1])).Where(r => r.Item2 != "/org/a11y/atspi/null");

    /// <summary>
    /// The elements as text, one per line, indented by depth: <c>role "name" at (x, y) size WxH, states: "text"</c>,
    /// positions divided by <paramref name="scale"/> (the screenshot's).
    /// </summary>
    public static string Format(IEnumerable<AccessibleElement> elements, int scale)
    {
        ArgumentNullException.ThrowIfNull(elements);
        StringBuilder text = new();
        foreach (AccessibleElement e in elements)
        {
            text.Append(' ', 2 + 2 * e.Depth).Append(e.Role).Append(' ').Append(Quote(e.Name));
            if (e.X is { } x)
                text.Append(CultureInfo.InvariantCulture, $" at ({x / scale}, {e.Y / scale}) size {e.Width / scale}x{e.Height / scale}");
            foreach (string state in e.States)
                text.Append(", ").Append(state);
            if (e.Text is not null)
                text.Append(": ").Append(Quote(e.Text));
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>The elements that <see cref="Format"/> wrote with a position, read back from <paramref name="text"/> (in its coordinates).</summary>
    public static List<AccessibleElement> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<AccessibleElement> elements = [];
        foreach (Match m in ElementLine().Matches(text))
        {
            int N(string g) => int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
            string[] states = m.Groups["states"].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries);
            elements.Add(new AccessibleElement(m.Groups["role"].Value, Unquote(m.Groups["name"].Value), N("x"), N("y"), N("w"), N("h"), states, null, (m.Groups["indent"].Length - 2) / 2));
        }
        return elements;
    }

    [GeneratedRegex(@"^(?<indent> {2,})(?<role>[a-z][a-z ]*?) ""(?<name>(?:[^""\\]|\\.)*)"" at \((?<x>-?\d+), (?<y>-?\d+)\) size (?<w>\d+)x(?<h>\d+)(?<states>(?:, [a-z]+)*)", RegexOptions.Multiline)]
    private static partial Regex ElementLine();

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static string Unquote(string s) => Regex.Replace(s, @"\\(.)", m => m.Groups[1].Value == "n" ? "\n" : m.Groups[1].Value);

    /// <inheritdoc />
    public void Dispose() => _bus?.Dispose();
}
