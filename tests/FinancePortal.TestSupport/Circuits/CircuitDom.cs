using System.Buffers.Binary;
using System.Text;

namespace FinancePortal.TestSupport.Circuits;

/// <summary>A node of the client-side tree a circuit renders into: an element, text, markup or a component's container.</summary>
public sealed class CircuitNode
{
    internal CircuitNode(CircuitNodeKind kind) => Kind = kind;

    public CircuitNodeKind Kind { get; }

    /// <summary>Element name (elements), text or markup content (text, markup), null otherwise.</summary>
    public string? Name { get; internal set; }

    public string? Content { get; internal set; }

    public int ComponentId { get; internal set; }

    public CircuitNode? Parent { get; internal set; }

    public List<CircuitNode> Children { get; } = [];

    public Dictionary<string, string> Attributes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Event name (e.g. <c>onclick</c>) to the renderer's event handler id.</summary>
    public Dictionary<string, ulong> EventHandlers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Attribute(string name) => Attributes.GetValueOrDefault(name);

    /// <summary>The text of this node and everything under it (child components included), markup tags stripped.</summary>
    public string Text
    {
        get
        {
            var text = new StringBuilder();
            AppendText(this, text);
            return text.ToString().Trim();
        }
    }

    public IEnumerable<CircuitNode> Descendants()
    {
        foreach (var child in Children)
        {
            yield return child;
            foreach (var descendant in child.Descendants())
            {
                yield return descendant;
            }
        }
    }

    private static void AppendText(CircuitNode node, StringBuilder text)
    {
        switch (node.Kind)
        {
            case CircuitNodeKind.Text:
                text.Append(node.Content);
                break;
            case CircuitNodeKind.Markup:
                text.Append(System.Text.RegularExpressions.Regex.Replace(node.Content ?? "", "<[^>]*>", " "));
                break;
            default:
                node.Children.ForEach(c => AppendText(c, text));
                break;
        }
    }
}

public enum CircuitNodeKind
{
    Element,
    Text,
    Markup,
    Component,
}

/// <summary>
/// Applies Blazor Server render batches (the binary format of the server's RenderBatchWriter, read the way
/// blazor.web.js's BrowserRenderer reads it) to a tree of <see cref="CircuitNode"/>s, one container per component.
/// Enough to find elements, their attributes, text and event handler ids; nothing is laid out or styled.
/// </summary>
public sealed class CircuitDom
{
    private const int FrameSize = 20;
    private const int EditSize = 16;
    private readonly Dictionary<int, CircuitNode> _components = [];

    public int BatchCount { get; private set; }

    /// <summary>Every element of every component still attached (roots first, document order).</summary>
    public IEnumerable<CircuitNode> Elements =>
        _components.Values.Where(c => c.Parent is null).ToArray()
            .SelectMany(root => root.Descendants()).Where(n => n.Kind == CircuitNodeKind.Element);

    public CircuitNode? Find(Func<CircuitNode, bool> predicate) => Elements.FirstOrDefault(predicate);

    public CircuitNode? FindByTestId(string testId) => Find(e => e.Attribute("data-testid") == testId);

    public void Apply(ReadOnlySpan<byte> batch)
    {
        var reader = new BatchReader(batch);
        var diffs = reader.Int(batch.Length - 20);
        var frames = reader.Int(batch.Length - 16) + 4;
        var disposedComponents = reader.Int(batch.Length - 12);

        var diffCount = reader.Int(diffs);
        for (var i = 0; i < diffCount; i++)
        {
            var diff = reader.Int(diffs + 4 + (4 * i));
            var componentId = reader.Int(diff);
            var editCount = reader.Int(diff + 4);
            ApplyEdits(reader, Container(componentId), diff + 8, editCount, frames);
        }

        var disposedCount = reader.Int(disposedComponents);
        for (var i = 0; i < disposedCount; i++)
        {
            _components.Remove(reader.Int(disposedComponents + 4 + (4 * i)));
        }

        BatchCount++;
    }

    private CircuitNode Container(int componentId)
    {
        if (!_components.TryGetValue(componentId, out var container))
        {
            // A root component, or a child whose frame arrives later in the batch: attached when its frame is inserted.
            container = new CircuitNode(CircuitNodeKind.Component) { ComponentId = componentId };
            _components[componentId] = container;
        }

        return container;
    }

    private void ApplyEdits(BatchReader reader, CircuitNode container, int edits, int count, int frames)
    {
        var parent = container;
        List<(int From, int To)>? permutation = null;
        for (var i = 0; i < count; i++)
        {
            var edit = edits + (EditSize * i);
            var type = reader.Int(edit);
            var sibling = reader.Int(edit + 4);
            var frameIndex = reader.Int(edit + 8);
            switch (type)
            {
                case 1: // PrependFrame
                    InsertFrame(reader, parent, sibling, frames, frameIndex);
                    break;
                case 2: // RemoveFrame
                    Detach(parent, sibling);
                    break;
                case 3: // SetAttribute
                    ApplyAttribute(reader, parent.Children[sibling], frames + (FrameSize * frameIndex));
                    break;
                case 4: // RemoveAttribute
                    var name = reader.String(reader.Int(edit + 12)) ?? "";
                    parent.Children[sibling].Attributes.Remove(name);
                    parent.Children[sibling].EventHandlers.Remove(name);
                    break;
                case 5: // UpdateText
                    parent.Children[sibling].Content = reader.String(reader.Int(frames + (FrameSize * frameIndex) + 4));
                    break;
                case 6: // StepIn
                    parent = parent.Children[sibling];
                    break;
                case 7: // StepOut
                    parent = parent.Parent ?? container;
                    break;
                case 8: // UpdateMarkup
                    Detach(parent, sibling);
                    InsertFrame(reader, parent, sibling, frames, frameIndex);
                    break;
                case 9: // PermutationListEntry (frameIndex is the move-to sibling index)
                    (permutation ??= []).Add((sibling, frameIndex));
                    break;
                case 10: // PermutationListEnd
                    var moves = (permutation ?? []).Select(p => (Node: parent.Children[p.From], p.To)).ToArray();
                    foreach (var (node, to) in moves)
                    {
                        parent.Children[to] = node;
                    }

                    permutation = null;
                    break;
                default:
                    throw new InvalidDataException($"Unknown render tree edit type {type}.");
            }
        }
    }

    private void Detach(CircuitNode parent, int index)
    {
        var node = parent.Children[index];
        parent.Children.RemoveAt(index);
        node.Parent = null;
        if (node.Kind == CircuitNodeKind.Component && _components.TryGetValue(node.ComponentId, out var c) && ReferenceEquals(c, node))
        {
            _components.Remove(node.ComponentId);
        }
    }

    /// <summary>Inserts the frame (and its subtree) at <paramref name="index"/>; returns how many siblings it added.</summary>
    private int InsertFrame(BatchReader reader, CircuitNode parent, int index, int frames, int frameIndex)
    {
        var frame = frames + (FrameSize * frameIndex);
        switch (reader.Int(frame))
        {
            case 1: // Element
                var element = new CircuitNode(CircuitNodeKind.Element) { Name = reader.String(reader.Int(frame + 8)) };
                Insert(parent, index, element);
                var end = frameIndex + reader.Int(frame + 4);
                for (var i = frameIndex + 1; i < end; i++)
                {
                    var child = frames + (FrameSize * i);
                    if (reader.Int(child) != 3)
                    {
                        InsertRange(reader, element, 0, frames, i, end);
                        break;
                    }

                    ApplyAttribute(reader, element, child);
                }

                return 1;
            case 2: // Text
                Insert(parent, index, new CircuitNode(CircuitNodeKind.Text) { Content = reader.String(reader.Int(frame + 4)) });
                return 1;
            case 8: // Markup
                Insert(parent, index, new CircuitNode(CircuitNodeKind.Markup) { Content = reader.String(reader.Int(frame + 4)) });
                return 1;
            case 4: // Component: its content comes in its own diff
                Insert(parent, index, Container(reader.Int(frame + 8)));
                return 1;
            case 5: // Region: flattened into the parent
                return InsertRange(reader, parent, index, frames, frameIndex + 1, frameIndex + reader.Int(frame + 4));
            case 3:
                throw new InvalidDataException("Attribute frames must lead an element's children.");
            default: // Reference captures, render modes, named events: nothing in the tree
                return 0;
        }
    }

    private int InsertRange(BatchReader reader, CircuitNode parent, int index, int frames, int start, int end)
    {
        var first = index;
        for (var i = start; i < end; i++)
        {
            index += InsertFrame(reader, parent, index, frames, i);
            var type = reader.Int(frames + (FrameSize * i));
            if (type is 1 or 4 or 5)
            {
                i += reader.Int(frames + (FrameSize * i) + 4) - 1;
            }
        }

        return index - first;
    }

    private static void Insert(CircuitNode parent, int index, CircuitNode node)
    {
        node.Parent?.Children.Remove(node);
        node.Parent = parent;
        parent.Children.Insert(Math.Min(index, parent.Children.Count), node);
    }

    private static void ApplyAttribute(BatchReader reader, CircuitNode element, int frame)
    {
        var name = reader.String(reader.Int(frame + 4)) ?? "";
        var handler = reader.ULong(frame + 12);
        if (handler != 0)
        {
            element.EventHandlers[name] = handler;
            return;
        }

        var value = reader.String(reader.Int(frame + 8));
        if (value is null)
        {
            element.Attributes.Remove(name);
        }
        else
        {
            element.Attributes[name] = value;
        }
    }

    private readonly ref struct BatchReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly int _strings = BinaryPrimitives.ReadInt32LittleEndian(data[^4..]);

        public int Int(int offset) => BinaryPrimitives.ReadInt32LittleEndian(_data[offset..]);

        public ulong ULong(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(_data[offset..]);

        /// <summary>A string table entry: a 7-bit encoded length, then UTF-8 (BinaryWriter.Write(string)).</summary>
        public string? String(int index)
        {
            if (index == -1)
            {
                return null;
            }

            var position = Int(_strings + (4 * index));
            int length = 0, shift = 0;
            for (var i = 0; i < 5; i++)
            {
                var b = _data[position++];
                length |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }

                shift += 7;
            }

            return Encoding.UTF8.GetString(_data.Slice(position, length));
        }
    }
}
