"""Write the station feedback sounds into resources/sounds/ (16-bit mono PCM WAV).

ok.wav: one short high beep (2.7 kHz, 90 ms), the sound of a good scan.
error.wav: a low two-tone buzz (440 Hz then 330 Hz, square-ish, 2 x 160 ms), unmistakably
different, for a wrong or unknown scan. Run: python tools/make_sounds.py
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44_100
OUT = Path(__file__).resolve().parents[1] / "resources" / "sounds"


def tone(freq: float, ms: int, volume: float, harmonics: int = 1) -> list[float]:
    n = RATE * ms // 1000
    fade = RATE * 5 // 1000  # 5 ms fade in and out: no clicks
    out = []
    for i in range(n):
        t = i / RATE
        # odd harmonics make a buzz (a band-limited square wave)
        v = sum(math.sin(2 * math.pi * freq * k * t) / k for k in range(1, 2 * harmonics, 2))
        env = min(1.0, i / fade, (n - i) / fade)
        out.append(volume * env * v)
    return out


def write(name: str, samples: list[float]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(
            b"".join(struct.pack("<h", round(max(-1, min(1, s)) * 32767)) for s in samples)
        )
    return path


def main() -> None:
    ok = tone(2700, 90, 0.5)
    gap = [0.0] * (RATE * 40 // 1000)
    error = tone(440, 160, 0.45, harmonics=4) + gap + tone(330, 160, 0.45, harmonics=4)
    for path in (write("ok.wav", ok), write("error.wav", error)):
        print(path, path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
