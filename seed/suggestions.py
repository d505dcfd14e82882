"""Demo suggestions of the fictional 青岚县: two congress sessions, 66 deputies in eight
township delegations, 22 handling units and 200 suggestions driven through the loop by the
services themselves (so every timeline is one the product could have written), in every
state: some overdue, some handled again after an unsatisfied evaluation, with replies,
commitments, supervision records and follows. Generated from a fixed seed, so every run
makes the same county; dates are relative to today, so the loop is always in progress.

Everything here is written for this project; names and places are invented.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from beanie import Document
from bson import ObjectId

from api.access import Role, Viewer
from api.models.people import CongressSession, Deputy, Unit
from api.models.regulations import Level, Visibility
from api.models.suggestions import (
    ResultClass,
    Satisfaction,
    Suggestion,
    SuggestionKind,
    SupervisionMethod,
)
from api.models.suggestions import SuggestionState as S
from api.models.users import User
from api.services import people
from api.services import suggestion_loop as loop
from api.services.suggestions import (
    SuggestionDraft,
    create_suggestion,
    edit_suggestion,
    follow,
)
from api.settings import Settings

TOWNS = ("城关镇", "石门镇", "青溪镇", "桃源镇", "龙潭镇", "云岭乡", "白沙乡", "望江乡")
VILLAGES = ("云岭村", "下坝村", "枫林村", "三岔村", "柳湾村", "松坪村", "河口村", "双桥村")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程"
GIVEN = (
    "立新", "秀英", "国栋", "建华", "春梅", "志强", "丽娟", "海涛", "桂兰", "文斌", "晓燕",
    "德明", "玉芳", "永红", "明辉", "淑珍", "振宇", "红霞", "家豪", "雪梅", "长青", "凤英",
)  # fmt: skip

UNITS = ("发展和改革局", "教育局", "科学技术局", "公安局", "民政局", "司法局", "财政局",
         "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局",
         "水利局", "农业农村局", "商务局", "文化广电旅游局", "卫生健康局", "应急管理局",
         "市场监督管理局", "医疗保障局", "城市管理局", "乡村振兴局")  # fmt: skip


@dataclass(frozen=True)
class Topic:
    category: str
    unit: str
    titles: tuple[str, ...]
    keywords: tuple[str, ...]
    concern: str
    ask: str


TOPICS = (
    Topic("交通运输", "交通运输局", ("关于{town}至{village}通村公路拓宽改造的建议",
          "关于增设{town}农村客运班线的建议"), ("农村公路", "交通安全", "客运"),
          "路面窄、弯道急，雨季常有落石，群众出行和农产品外运都不方便。",
          "列入明年农村公路提档升级计划，并增设错车道和安全防护设施。"),
    Topic("教育", "教育局", ("关于改善{town}中心小学办学条件的建议",
          "关于解决{town}幼儿园学位不足的建议"), ("义务教育", "学前教育", "校舍"),
          "校舍老旧、功能室不足，近两年入学人数增加，班额偏大。",
          "安排专项资金改扩建校舍，补充音体美和心理健康教师。"),
    Topic("卫生健康", "卫生健康局", ("关于加强{town}卫生院人才队伍建设的建议",
          "关于在{village}设立村卫生室的建议"), ("基层医疗", "人才", "卫生室"),
          "卫生院医生流失严重，村民看小病也要跑到县城。",
          "落实基层医务人员待遇倾斜政策，推进县域医共体人员下沉。"),
    Topic("养老服务", "民政局", ("关于建设{town}农村互助养老服务站的建议",
          "关于提高{town}高龄老人补贴标准的建议"), ("养老", "互助养老", "高龄补贴"),
          "留守老人多，日间照料和助餐服务几乎空白。",
          "利用闲置村级用房建设互助养老站，给予运营补贴。"),
    Topic("生态环境", "生态环境局", ("关于治理{town}青溪河段污染的建议",
          "关于加强{town}畜禽养殖污染防治的建议"), ("水污染", "河道治理", "养殖污染"),
          "河段水质下降，沿岸有生活污水和养殖废水直排。",
          "建设污水收集管网，开展养殖场粪污资源化利用整治。"),
    Topic("水利", "水利局", ("关于加固{village}小型水库的建议",
          "关于解决{town}农田灌溉用水难的建议"), ("水库", "灌溉", "防汛"),
          "水库坝体渗漏，灌溉渠道年久失修，汛期存在安全隐患。",
          "纳入小型水库除险加固项目，同步修复灌溉渠系。"),
    Topic("农业农村", "农业农村局", ("关于扶持{town}茶叶产业品牌建设的建议",
          "关于推进{town}高标准农田建设的建议"), ("特色产业", "高标准农田", "品牌"),
          "产业规模小、品牌弱，农户增收渠道单一。",
          "整合涉农资金支持品牌培育和冷链仓储建设。"),
    Topic("城乡建设", "住房和城乡建设局", ("关于推进{town}老旧小区改造的建议",
          "关于改善{town}集镇排水设施的建议"), ("老旧小区", "排水", "城镇更新"),
          "小区管网老化，雨天积水严重，加装电梯需求强烈。",
          "将其列入年度老旧小区改造计划，统筹解决排水和加装电梯。"),
    Topic("就业创业", "人力资源和社会保障局", ("关于加强{town}返乡创业扶持的建议",
          "关于开展{town}农民工技能培训的建议"), ("就业", "返乡创业", "技能培训"),
          "返乡人员创业缺资金、缺技术，培训与岗位需求脱节。",
          "设立创业担保贷款绿色通道，按产业需求开展订单式培训。"),
    Topic("文化旅游", "文化广电旅游局", ("关于开发{village}乡村旅游资源的建议",
          "关于保护{town}传统村落的建议"), ("乡村旅游", "传统村落", "文化"),
          "资源丰富但配套缺乏，游客来了留不住。",
          "编制乡村旅游规划，完善停车、公厕和标识系统。"),
    Topic("医疗保障", "医疗保障局", ("关于简化{town}异地就医备案手续的建议",),
          ("医保", "异地就医"), "外出务工人员异地就医备案和报销手续繁琐。",
          "推行线上备案，扩大异地直接结算定点机构范围。"),
    Topic("安全生产", "应急管理局", ("关于加强{town}地质灾害隐患点监测的建议",),
          ("地质灾害", "应急", "监测预警"), "隐患点多、监测设备少，群众避险意识不强。",
          "增设自动监测设备，定期开展避险演练。"),
)  # fmt: skip

CO_UNITS = {"交通运输局": ("财政局",), "教育局": ("财政局",), "生态环境局": ("农业农村局",),
            "水利局": ("财政局",), "农业农村局": ("乡村振兴局",),
            "文化广电旅游局": ("交通运输局",)}  # fmt: skip
THEMES = ("民生实事", "乡村振兴", "生态环境保护")

# The states the demo reaches, per session: (state, how many, handled again first?)
EARLIER = ((S.NOT_REGISTERED, 4, False), (S.CLOSED, 66, False), (S.CLOSED, 8, True),
           (S.EVALUATED, 6, False), (S.REPLIED, 6, False))  # fmt: skip
CURRENT = ((S.DRAFT, 4, False), (S.SUBMITTED, 6, False), (S.NOT_REGISTERED, 4, False),
           (S.REGISTERED, 8, False), (S.ASSIGNED, 14, False), (S.HANDLING, 22, False),
           (S.HANDLING, 6, True), (S.REPLIED, 16, False), (S.EVALUATED, 12, False),
           (S.CLOSED, 18, False))  # fmt: skip


def id_of(document: Document) -> ObjectId:
    """A stored document's id."""
    assert document.id is not None  # stored documents have ids
    return document.id


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour)).replace(tzinfo=UTC) - timedelta(hours=8)


class _County:
    """The demo county while it is being made."""

    def __init__(self, settings: Settings, rng: random.Random) -> None:
        self.settings = settings
        self.rng = rng
        self.today = settings.today()
        self.units: dict[str, Unit] = {}
        self.deputies: list[Deputy] = []
        self.staff = Viewer(role=Role.STAFF, name="李晓梅（选联工委）")

    def handler(self, unit_name: str) -> Viewer:
        unit = self.units[unit_name]
        return Viewer(role=Role.HANDLER, unit_id=unit.id, name=f"{unit.name}办理人")

    def deputy(self, deputy: Deputy, user: User | None) -> Viewer:
        return Viewer(
            role=Role.DEPUTY,
            deputy_id=deputy.id,
            user_id=user.id if user and user.deputy_id == deputy.id else None,
            name=deputy.name,
        )


async def load_suggestions(settings: Settings) -> None:
    """Make the demo county's sessions, deputies, units and suggestions, and link the demo
    deputy and handler accounts to 王立新 and 青岚县交通运输局."""
    rng = random.Random(2026)
    county = _County(settings, rng)
    today = county.today
    current_opened = today - timedelta(days=230)
    sessions = [
        await people.create_session(
            name=f"青岚县第十八届人民代表大会第{n}次会议",
            term=18,
            meeting=m,
            opened_on=opened,
            closed_on=opened + timedelta(days=3),
        )
        for n, m, opened in (
            ("二", 2, current_opened - timedelta(days=364)),
            ("三", 3, current_opened),
        )
    ]
    for name in UNITS:
        county.units[name] = await people.create_unit(name=f"青岚县{name}")
    names = ["王立新"] + [
        f"{SURNAMES[i % len(SURNAMES)]}{GIVEN[(i * 5 + 3) % len(GIVEN)]}" for i in range(1, 200)
    ]
    unique = list(dict.fromkeys(names))[:66]
    for i, name in enumerate(unique):
        town = TOWNS[i % len(TOWNS)]
        county.deputies.append(
            await people.create_deputy(
                name=name,
                delegation=f"{town}代表团",
                level=Level.COUNTY,
                constituency=f"{town}第{i % 5 + 1}选区",
                term=18,
            )
        )
    await _link_demo_accounts(county)
    demo_user = await User.find_one({"username": "deputy"})
    made: list[Suggestion] = []
    for session, plan in ((sessions[0], EARLIER), (sessions[1], CURRENT)):
        for state, count, rehandled in plan:
            for _ in range(count):
                made.append(
                    await _suggestion(county, session, state, rehandled, len(made), demo_user)
                )
    if demo_user is not None:
        viewer = county.deputy(county.deputies[0], demo_user)
        others = [
            s for s in made
            if s.lead_deputy_id != county.deputies[0].id and s.visibility is Visibility.PUBLIC
            and s.state not in (S.DRAFT, S.SUBMITTED, S.NOT_REGISTERED)
        ]  # fmt: skip
        for s in rng.sample(others, 8):
            await follow(suggestion=s, viewer=viewer)


async def _link_demo_accounts(county: _County) -> None:
    deputy = await User.find_one({"username": "deputy"})
    if deputy is not None:
        await deputy.set({"deputy_id": county.deputies[0].id})
    handler = await User.find_one({"username": "handler"})
    if handler is not None:
        await handler.set({"unit_id": county.units["交通运输局"].id})


async def _suggestion(
    county: _County,
    session: CongressSession,
    target: S,
    rehandled: bool,
    index: int,
    demo_user: User | None,
) -> Suggestion:
    rng = county.rng
    topic = TOPICS[index % len(TOPICS)]
    town, village = rng.choice(TOWNS), rng.choice(VILLAGES)
    # The demo deputy leads every twelfth suggestion and co-signs others.
    lead = county.deputies[0] if index % 12 == 0 else rng.choice(county.deputies[1:])
    cosigners = [id_of(d) for d in rng.sample(county.deputies, 3) if d.id != lead.id][
        : rng.randint(0, 2)
    ]
    as_lead = county.deputy(lead, demo_user)
    title = rng.choice(topic.titles).format(town=town, village=village)
    day = session.opened_on + timedelta(days=rng.randint(0, 2))
    s = await create_suggestion(
        viewer=as_lead,
        session_id=session.id,
        draft=SuggestionDraft(
            kind=SuggestionKind.CRITICISM if index % 17 == 0 else SuggestionKind.SUGGESTION,
            title=title,
            body=f"{town}{village}一带{topic.concern}建议：{topic.ask}",
            category=topic.category,
            keywords=list(rng.sample(topic.keywords, k=min(2, len(topic.keywords)))),
            visibility=Visibility.INTERNAL if index % 9 == 0 else Visibility.PUBLIC,
            cosigner_ids=cosigners,
        ),
        at=_at(day, 9),
    )
    if target is S.DRAFT:
        return s
    s = await loop.submit(suggestion=s, viewer=as_lead, at=_at(day, 11))
    if target is S.SUBMITTED:
        return s
    day += timedelta(days=7)
    if target is S.NOT_REGISTERED:
        return await loop.reject(
            suggestion=s, viewer=county.staff, at=_at(day),
            reason="所提事项属于上级事权，已转请省人大代表关注。",
        )  # fmt: skip
    s = await loop.register(suggestion=s, viewer=county.staff, at=_at(day))
    if index % 10 == 3 or (rehandled and index % 2 == 0):
        s = await edit_suggestion(
            suggestion=s, viewer=county.staff, at=_at(day, 15),
            changes={"theme": rng.choice(THEMES), "key_supervision": index % 20 == 3},
        )  # fmt: skip
    if target is S.REGISTERED:
        return s
    # Half of the open ones were assigned early (and are overdue now), half lately.
    late = target in (S.ASSIGNED, S.HANDLING) and not rehandled and index % 2 == 1
    day = county.today - timedelta(days=rng.randint(8, 60)) if late else day + timedelta(days=8)
    co = [id_of(county.units[u]) for u in CO_UNITS.get(topic.unit, ())]
    s = await loop.assign(
        suggestion=s, viewer=county.staff, settings=county.settings, at=_at(day),
        assignment=loop.Assignment(lead_unit_id=id_of(county.units[topic.unit]), co_unit_ids=co),
    )  # fmt: skip
    if target is S.ASSIGNED:
        return s
    unit = county.handler(topic.unit)
    day += timedelta(days=3)
    s = await loop.accept(suggestion=s, viewer=unit, at=_at(day))
    if index % 3 == 0:
        day = min(day + timedelta(days=20), county.today - timedelta(days=1))
        s = await loop.supervise(
            suggestion=s, viewer=county.staff, settings=county.settings, at=_at(day),
            supervision=loop.Supervision(method=rng.choice(list(SupervisionMethod)[:4]),
                                         note="了解办理进度，提醒按期答复。", held_on=day),
        )  # fmt: skip
    if target is S.HANDLING and not rehandled:
        return s
    for co_unit in CO_UNITS.get(topic.unit, ()):
        s = await loop.reply(
            suggestion=s, viewer=county.handler(co_unit), settings=county.settings,
            at=_at(day + timedelta(days=30)),
            draft=loop.ReplyDraft(text="我单位将积极配合主办单位，做好资金和政策保障。",
                                  result_class=ResultClass.B, commitments=[]),
        )  # fmt: skip
    # Most replies come within the three months; some late.
    day += timedelta(days=rng.choice((35, 50, 70, 80, 110)))
    first_class = ResultClass.C if rehandled else rng.choice((ResultClass.A, ResultClass.B))
    s = await _reply(county, s, unit, first_class, day)
    if target is S.REPLIED:
        return s
    day += timedelta(days=10)
    unsatisfied = rehandled or (target is S.EVALUATED and index % 3 == 0)
    satisfaction = (
        Satisfaction.UNSATISFIED if unsatisfied
        else rng.choice((Satisfaction.SATISFIED, Satisfaction.SATISFIED,
                         Satisfaction.BASICALLY_SATISFIED))
    )  # fmt: skip
    s = await loop.evaluate(
        suggestion=s, viewer=as_lead, satisfaction=satisfaction, at=_at(day),
        note="答复未明确资金来源和完成时限。" if unsatisfied else "答复认真，措施具体。",
    )  # fmt: skip
    if target is S.EVALUATED:
        return s
    if rehandled:
        day += timedelta(days=7)
        s = await loop.rehandle(
            suggestion=s, viewer=county.staff, settings=county.settings, at=_at(day),
            meeting=loop.Supervision(
                method=SupervisionMethod.THREE_PARTY_MEETING, held_on=day,
                note="代表、选联工委与承办单位当面沟通，明确重新办理的具体措施。",
            ),
        )  # fmt: skip
        if target is S.HANDLING:
            return s
        day += timedelta(days=25)
        s = await _reply(county, s, unit, ResultClass.A, day)
        day += timedelta(days=7)
        s = await loop.evaluate(
            suggestion=s, viewer=as_lead, satisfaction=Satisfaction.BASICALLY_SATISFIED,
            at=_at(day), note="重新办理后基本解决。",
        )  # fmt: skip
    day += timedelta(days=5)
    return await loop.close(suggestion=s, viewer=county.staff, at=_at(day))


async def _reply(
    county: _County, s: Suggestion, unit: Viewer, result: ResultClass, day: date
) -> Suggestion:
    commitments = []
    if result is ResultClass.B:
        commitments = [("列入下年度项目计划并启动实施", day + timedelta(days=240))]
    text = {
        ResultClass.A: "经研究，所提问题已解决：相关项目已完成建设并投入使用。",
        ResultClass.B: "所提建议很有必要，我局已将其列入下年度工作计划，正在落实资金。",
        ResultClass.C: "受财力和规划条件限制，暂时难以实施，将留作今后工作参考。",
    }[result]
    return await loop.reply(
        suggestion=s, viewer=unit, settings=county.settings, at=_at(day),
        draft=loop.ReplyDraft(text=text, result_class=result, commitments=commitments,
                              public=s.visibility is Visibility.PUBLIC),
    )  # fmt: skip
