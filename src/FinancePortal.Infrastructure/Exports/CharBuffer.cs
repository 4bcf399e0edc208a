using System.Globalization;
using System.Text;

namespace FinancePortal.Infrastructure.Exports;

/// <summary>A text writer into a growable character array (the CSV writer's row buffer).</summary>
internal sealed class CharBuffer(int capacity) : TextWriter(CultureInfo.InvariantCulture)
{
    private char[] _chars = new char[capacity];

    public int Length { get; private set; }

    public ReadOnlyMemory<char> Written => _chars.AsMemory(0, Length);

    public override Encoding Encoding => Encoding.Unicode;

    public void Clear() => Length = 0;

    public override void Write(char value)
    {
        Ensure(1);
        _chars[Length++] = value;
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Ensure(buffer.Length);
        buffer.CopyTo(_chars.AsSpan(Length));
        Length += buffer.Length;
    }

    private void Ensure(int more)
    {
        if (_chars.Length - Length < more)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + more));
        }
    }
}
