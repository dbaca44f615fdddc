"""Write a demo archive for ``hisho-tone report``: five clients of an online secretary team over 17 weeks.

The archive is JSONL in the batch format (``id``, ``thread``, ``author``, ``me``, ``time``,
``channel``, ``text``), sorted by conversation, oldest first. Everything in it is invented:

- さくら不動産 (山田) and みどり歯科 (加藤): routine requests, confirmations and thanks;
- 青空デザイン (中村): routine work plus ping-pong conversations (vague feedback on a banner, a
  logo, a meeting slot: four or more rounds and no decision);
- ルミナス (伊藤): by email, routine;
- 北斗物産 (小林): calm for two months, then a wrong invoice, requests that have to be made again,
  curt replies and open anger in the last five weeks: the client growing tense.

    python tools/make_demo_archive.py -o demo/archive.jsonl      # then: hisho-tone report demo/archive.jsonl -o demo/report.html
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

JST = timezone(timedelta(hours=9))
FIRST_MONDAY = datetime(2026, 8, 3, tzinfo=JST)
WEEKS = 17
TEAM = ["佐藤", "鈴木", "高橋"]

CLIENTS = {
    "sakura": {"author": "山田（さくら不動産）", "company": "さくら不動産", "channel": "chat"},
    "aozora": {"author": "中村（青空デザイン）", "company": "青空デザイン", "channel": "chat"},
    "hokuto": {"author": "小林（北斗物産）", "company": "北斗物産", "channel": "chat"},
    "midori": {"author": "加藤（みどり歯科）", "company": "みどり歯科", "channel": "chat"},
    "luminous": {"author": "伊藤（ルミナス）", "company": "ルミナス", "channel": "email"},
}

# -- routine conversations: c = the client, t = the secretary team ------------------------------
ROUTINE = [
    [
        ("c", "{date}の{time}から打ち合わせを入れていただけますか。場所は弊社の会議室です。"),
        ("t", "承知しました。{date} {time}からでカレンダーに登録し、招待をお送りしました。"),
        ("c", "ありがとうございます。助かります。"),
    ],
    [
        ("c", "先月分の経費精算の領収書を{n}枚、写真でお送りしました。ご確認お願いします。"),
        ("t", "{n}枚とも受け取りました。本日中に入力して、明日の午前中にご報告します。"),
        ("c", "よろしくお願いします。"),
    ],
    [
        ("t", "{date}締めの請求書を作成しました。金額は{amount}円（税込）です。添付をご確認ください。"),
        ("c", "確認しました。問題ありません。ありがとうございます。"),
    ],
    [
        ("c", "{date}の出張で、新幹線と{city}のホテルを1泊手配してもらえますか。"),
        ("t", "承知しました。{date}の午前の新幹線と、駅から近いホテルの候補を本日15時までにお送りします。"),
        ("t", "候補を3件お送りしました。いずれも駅から徒歩5分以内です。"),
        ("c", "2番目のホテルでお願いします。"),
        ("t", "2番目のホテルで予約しました。確認メールを転送します。"),
    ],
    [
        ("t", "来週の予定を共有します。月曜10時に定例会議、水曜14時に来客、金曜は終日空いています。"),
        ("c", "ありがとうございます。金曜の午後に資料作成の時間を確保してください。"),
        ("t", "金曜13時から17時を資料作成で押さえました。"),
    ],
    [
        ("c", "{date}の定例会議の議事録、共有フォルダに入れてもらえましたか？"),
        ("t", "はい、本日11時に「議事録」フォルダへ保存しました。ファイル名は「{date}_定例会議」です。"),
        ("c", "見つかりました。ありがとうございます。"),
    ],
    [
        ("t", "{date}の会食、{time}から駅前の和食店で4名の予約が取れました。"),
        ("c", "ありがとうございます。先方にも伝えておきます。"),
    ],
    [
        ("c", "名刺の発注をお願いします。部署名が「営業企画部」に変わりました。"),
        ("t", "承知しました。「営業企画部」で100枚発注し、{date}に届く予定です。"),
        ("c", "よろしくお願いします。"),
    ],
    [("t", "おはようございます。本日の予定は{time}からの来客1件のみです。"), ("c", "了解です。ありがとうございます。")],
    [
        ("c", "取引先{n}社へのお歳暮リストを作ってもらえますか。昨年のリストをもとにお願いします。"),
        ("t", "承知しました。昨年のリストをもとに、{date}までに一覧をお送りします。"),
        ("t", "一覧をお送りしました。追加や削除があればお知らせください。"),
        ("c", "完璧です。このまま手配をお願いします。"),
    ],
    [
        ("c", "来月の社内研修の会場、{n}名で使える部屋を探してもらえますか。日程は{date}です。"),
        ("t", "承知しました。{date}に{n}名で使える会場を3か所調べ、明日中に候補をお送りします。"),
        ("c", "ありがとうございます。お待ちしています。"),
    ],
]

EMAIL_ROUTINE = [
    [
        (
            "t",
            "伊藤様\n\nいつもお世話になっております。秘書チームの{me}です。\n{date}の役員会議の資料を添付にてお送りいたします。\nご確認のほど、よろしくお願いいたします。",
        ),
        (
            "c",
            "{me}様\n\nお世話になっております。資料を拝受いたしました。\n内容に問題ございません。ありがとうございます。",
        ),
    ],
    [
        (
            "c",
            "秘書チーム 御中\n\nお世話になっております。伊藤です。\n{date}の{time}から、来客が2名ございます。応接室の予約をお願いできますでしょうか。",
        ),
        (
            "t",
            "伊藤様\n\nお世話になっております。{me}です。\n{date} {time}から応接室を予約いたしました。お茶の準備も手配済みです。",
        ),
        ("c", "{me}様\n\nご手配ありがとうございます。助かりました。"),
    ],
    [
        (
            "t",
            "伊藤様\n\nお世話になっております。{me}です。\n今月の経費精算を締めました。合計{amount}円で、明細を添付しております。",
        ),
        ("c", "{me}様\n\nご連絡ありがとうございます。確認いたしました。"),
    ],
]

# -- ping-pong: vague feedback, four or more rounds, no decision -------------------------------
PING_PONG = [
    [
        ("c", "来月のキャンペーン用バナー、もう少し明るい感じにできますか？"),
        ("t", "承知しました。背景を明るい水色にした案をお送りします。"),
        ("c", "うーん、もう少し明るい方がいいかもです。"),
        ("t", "では、こちらの黄色系の案はいかがでしょうか。"),
        ("c", "明るすぎるかもしれません。前の方が近いかも。"),
        ("t", "では、水色と黄色の中間の色味でお作りしますね。"),
        ("c", "うーん、なんか違うんですよね。いい感じにしてもらえればいいんですけど。"),
        ("t", "申し訳ありません。具体的にどのあたりが気になりますか？"),
        ("c", "全体的に、もう少しそれっぽくしてほしいです。"),
        ("t", "承知しました。もう一度作り直してお送りします。"),
    ],
    [
        ("c", "名刺のロゴの配置、少し気になる点がありまして。"),
        ("t", "ご指摘ありがとうございます。どの部分でしょうか？"),
        ("c", "なんというか、全体のバランスですかね。"),
        ("t", "ロゴを右上に移動した案をお送りします。"),
        ("c", "それも悪くないんですが、やっぱり左の方がいいかもしれません。"),
        ("t", "左上に戻して、サイズを少し小さくした案はいかがでしょうか。"),
        ("c", "うーん、大きさは前のままでいいです。"),
        ("t", "承知しました。元のサイズで左上、余白だけ広げた案をお送りします。"),
        ("c", "うーん、どうでしょう。もう少し考えさせてください。"),
    ],
    [
        ("c", "来週の打ち合わせ、どこかで時間取れますか？"),
        ("t", "火曜の14時か、水曜の10時はいかがでしょうか。"),
        ("c", "火曜はちょっと厳しいかもです。"),
        ("t", "では水曜の10時でいかがでしょう。"),
        ("c", "水曜も午前は微妙ですね。午後なら大丈夫かもしれません。"),
        ("t", "水曜の15時はいかがですか？"),
        ("c", "その時間は別件が入るかもしれないので、また連絡します。"),
        ("t", "承知しました。木曜や金曜でも調整できますので、ご都合をお知らせください。"),
        ("c", "なるべく早めに決めたいんですが、ちょっとまだわからないです。"),
    ],
    [
        ("c", "ホームページの会社紹介の文章、もう少しいい感じにまとめてもらえますか？"),
        ("t", "承知しました。どの部分を中心に見直しましょうか？"),
        ("c", "全体的にです。もう少し柔らかい感じで。"),
        ("t", "柔らかい表現に直した版をお送りします。"),
        ("c", "柔らかすぎて、うちっぽくないかもしれません。"),
        ("t", "では、少し硬めに戻した版はいかがでしょうか。"),
        ("c", "うーん、前のとあまり変わらない気がします。"),
        ("t", "承知しました。もう一度見直してお送りします。"),
        ("c", "例の件も含めて、なるべく早めでお願いします。"),
    ],
]

# -- 北斗物産: the client growing tense (weeks 12 to 17) ----------------------------------------
TENSE = {
    11: [
        ("c", "請求書の宛名が「北斗物販」になっています。正しくは「北斗物産」です。修正をお願いします。"),
        ("t", "大変失礼いたしました。すぐに修正してお送りします。"),
        ("c", "そうですか。わかりました。"),
    ],
    12: [
        ("c", "先週お願いした会議室の予約、まだ確認の連絡をいただいていません。どうなっていますか？"),
        ("t", "申し訳ありません。確認して本日中にご連絡します。"),
        ("c", "先週お願いした会議室の予約の件、まだでしょうか。至急確認してください。"),
        ("t", "大変申し訳ございません。ただいま手配いたしました。"),
        ("c", "もういいです。"),
    ],
    13: [
        ("c", "何度もお伝えしていますが、請求書の宛名がまた間違っています。正直がっかりしました。"),
        ("t", "大変申し訳ございません。すぐに修正版をお送りします。"),
        ("c", "どうしてこうなったんですか？前回も同じことをお願いしましたよね。"),
        ("t", "確認の手順に漏れがありました。今後は送付前に二重で確認いたします。"),
        ("c", "再三お願いしておりますが、改善が見られません。このままでは契約の見直しも考えます。"),
    ],
    14: [
        ("c", "出張の新幹線、指定した時間と違う便になっていました。なぜ確認してくれなかったのですか？"),
        ("t", "申し訳ございません。すぐに変更の手配をいたします。"),
        ("c", "そうですか。"),
        ("t", "変更が完了しました。10時12分発の便です。"),
        ("c", "はい。"),
    ],
    15: [
        ("c", "先日お願いした資料の件、まだ届いていません。何度もお願いしていますが、いつになりますか！？"),
        ("t", "大変申し訳ございません。本日17時までにお送りします。"),
        ("c", "先日お願いした資料、本日中に必ず送ってください。本当に困っています。"),
        ("t", "承知いたしました。16時にお送りしました。ご確認をお願いいたします。"),
        ("c", "わかりました。"),
    ],
    16: [
        (
            "c",
            "今週の会食の予約、人数が4名のままになっていると先方から聞きました。6名とお伝えしたはずです。何度も同じことを言わせないでください。",
        ),
        ("t", "大変申し訳ございません。ただちに6名に変更いたします。"),
        ("c", "会食の予約、6名に直っているか今日中に確認して連絡してください。"),
        ("t", "6名への変更が完了し、お店からも確認の連絡をいただきました。"),
        ("c", "そうですか。わかりました。"),
    ],
}
CURT = ["そうですか。わかりました。", "はい。", "わかりました。", "そうですか。"]

PING_PONG_WEEKS = {
    ("aozora", 3): 0,
    ("aozora", 7): 1,
    ("aozora", 10): 2,
    ("aozora", 14): 0,
    ("aozora", 16): 1,
    ("sakura", 9): 3,
    ("midori", 13): 2,
}

SLOTS = {
    "time": ["10時", "11時", "13時半", "14時", "15時", "16時"],
    "n": ["3", "5", "8", "12", "20"],
    "amount": ["55,000", "88,000", "132,000", "66,000"],
    "city": ["大阪", "名古屋", "福岡", "仙台"],
}


def _fill(text: str, rng: random.Random, when: datetime, me: str) -> str:
    day = when + timedelta(days=rng.randint(3, 12))
    values = {key: rng.choice(options) for key, options in SLOTS.items()}
    values["date"] = f"{day.month}月{day.day}日"
    values["me"] = me
    return text.format(**values)


def _conversation(
    key: str, script: list[tuple[str, str]], start: datetime, rng: random.Random, spread_hours: tuple[int, int]
) -> list[dict]:
    client = CLIENTS[key]
    me = rng.choice(TEAM)
    when = start
    out = []
    for who, text in script:
        out.append(
            {
                "author": client["author"] if who == "c" else me,
                "me": who == "t",
                "time": when.isoformat(),
                "channel": client["channel"],
                "text": _fill(text, rng, start, me),
            }
        )
        when += timedelta(minutes=rng.randint(*spread_hours) * 60 + rng.randint(0, 59))
        if when.hour >= 19 or when.hour < 9:  # office hours: the next reply comes the next morning
            when = (when + timedelta(hours=14)).replace(hour=9, minute=rng.randint(0, 59))
    return out


def conversations(seed: int = 7) -> list[tuple[str, list[dict]]]:
    """Every conversation of the demo: (thread id, messages), in the order they started."""
    rng = random.Random(seed)
    found: list[tuple[datetime, str, list[dict]]] = []
    for week in range(1, WEEKS + 1):
        monday = FIRST_MONDAY + timedelta(weeks=week - 1)
        for key in CLIENTS:
            slots: list[tuple[list[tuple[str, str]], tuple[int, int]]] = []
            routine = EMAIL_ROUTINE if CLIENTS[key]["channel"] == "email" else ROUTINE
            for _ in range(rng.randint(1, 2)):
                slots.append((rng.choice(routine), (0, 2)))
            if (key, week) in PING_PONG_WEEKS:
                slots.append((PING_PONG[PING_PONG_WEEKS[(key, week)]], (3, 12)))
            if key == "hokuto" and week in TENSE:
                slots.append((TENSE[week], (1, 6)))
            for n, (script, spread) in enumerate(slots):
                if key == "hokuto" and week >= 12 and script[-1][0] == "c" and script not in TENSE.values():
                    script = [*script[:-1], ("c", rng.choice(CURT))]  # the tense client's routine replies turn curt
                start = monday + timedelta(
                    days=rng.randint(0, 3), hours=9 + rng.randint(0, 6), minutes=rng.randint(0, 59)
                )
                found.append((start, f"{key}-w{week:02d}-{n + 1}", _conversation(key, script, start, rng, spread)))
    found.sort(key=lambda c: (c[0], c[1]))
    return [(thread, messages) for _, thread, messages in found]


def write(path: Path, seed: int = 7) -> int:
    """Write the archive; return how many messages it has."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for thread, messages in conversations(seed):
            for message in messages:
                count += 1
                fh.write(json.dumps({"id": f"m{count:05d}", "thread": thread, **message}, ensure_ascii=False) + "\n")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--out", type=Path, default=Path("demo/archive.jsonl"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    count = write(args.out, args.seed)
    print(f"wrote {count} messages to {args.out}; next: hisho-tone report {args.out} -o demo/report.html")


if __name__ == "__main__":
    main()
