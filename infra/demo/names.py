"""Dongcheng's real streets and a pool of Beijing place words, so the demo reads like the city."""

from __future__ import annotations

import random
from typing import NamedTuple


class StreetSite(NamedTuple):
    """A real street (街道) and roughly where its middle is, to seed where its grids go."""

    name_zh: str
    name_en: str
    lon: float
    lat: float


STREETS: tuple[StreetSite, ...] = (
    # In the order of their real division codes 110101001 … 110101017.
    StreetSite("东华门", "Donghuamen", 116.403, 39.913),
    StreetSite("景山", "Jingshan", 116.400, 39.927),
    StreetSite("交道口", "Jiaodaokou", 116.402, 39.938),
    StreetSite("安定门", "Andingmen", 116.405, 39.948),
    StreetSite("北新桥", "Beixinqiao", 116.418, 39.943),
    StreetSite("东四", "Dongsi", 116.417, 39.929),
    StreetSite("朝阳门", "Chaoyangmen", 116.429, 39.922),
    StreetSite("建国门", "Jianguomen", 116.425, 39.907),
    StreetSite("东直门", "Dongzhimen", 116.434, 39.939),
    StreetSite("和平里", "Hepingli", 116.415, 39.957),
    StreetSite("前门", "Qianmen", 116.401, 39.895),
    StreetSite("崇文门外", "Chongwenmenwai", 116.417, 39.897),
    StreetSite("东花市", "Donghuashi", 116.435, 39.896),
    StreetSite("龙潭", "Longtan", 116.437, 39.880),
    StreetSite("体育馆路", "Tiyuguanlu", 116.424, 39.884),
    StreetSite("天坛", "Tiantan", 116.407, 39.880),
    StreetSite("永定门外", "Yongdingmenwai", 116.398, 39.866),
)

_ROOTS: tuple[tuple[str, str], ...] = (
    ("菊儿", "Ju'er"),
    ("福祥", "Fuxiang"),
    ("帽儿", "Mao'er"),
    ("鼓楼", "Gulou"),
    ("钟楼", "Zhonglou"),
    ("府学", "Fuxue"),
    ("国子监", "Guozijian"),
    ("箭厂", "Jianchang"),
    ("方家", "Fangjia"),
    ("分司", "Fensi"),
    ("五道营", "Wudaoying"),
    ("雍和", "Yonghe"),
    ("北新", "Beixin"),
    ("民安", "Min'an"),
    ("九道湾", "Jiudaowan"),
    ("香饵", "Xiang'er"),
    ("史家", "Shijia"),
    ("演乐", "Yanyue"),
    ("本司", "Bensi"),
    ("礼士", "Lishi"),
    ("豆瓣", "Douban"),
    ("南门仓", "Nanmencang"),
    ("北门仓", "Beimencang"),
    ("海运仓", "Haiyuncang"),
    ("新中", "Xinzhong"),
    ("东总布", "Dongzongbu"),
    ("西总布", "Xizongbu"),
    ("赵家楼", "Zhaojialou"),
    ("金宝", "Jinbao"),
    ("东单", "Dongdan"),
    ("灯市口", "Dengshikou"),
    ("王府井", "Wangfujing"),
    ("韶九", "Shaojiu"),
    ("霞公府", "Xiagongfu"),
    ("东厂", "Dongchang"),
    ("北池子", "Beichizi"),
    ("南池子", "Nanchizi"),
    ("智德", "Zhide"),
    ("黄化门", "Huanghuamen"),
    ("嵩祝", "Songzhu"),
    ("吉祥", "Jixiang"),
    ("三眼井", "Sanyanjing"),
    ("大佛寺", "Dafosi"),
    ("草厂", "Caochang"),
    ("打磨厂", "Damochang"),
    ("长巷", "Changxiang"),
    ("鲜鱼口", "Xianyukou"),
    ("兴隆", "Xinglong"),
    ("西花市", "Xihuashi"),
    ("广渠", "Guangqu"),
    ("忠实", "Zhongshi"),
    ("手帕口", "Shoupakou"),
    ("新怡", "Xinyi"),
    ("金鱼池", "Jinyuchi"),
    ("法华寺", "Fahuasi"),
    ("四块玉", "Sikuaiyu"),
    ("幸福", "Xingfu"),
    ("光明", "Guangming"),
    ("夕照寺", "Xizhaosi"),
    ("左安门", "Zuo'anmen"),
    ("安化", "Anhua"),
    ("板厂", "Banchang"),
    ("东棉花", "Dongmianhua"),
    ("蓑衣", "Suoyi"),
    ("青年湖", "Qingnianhu"),
    ("地坛", "Ditan"),
    ("安德", "Ande"),
    ("东革新", "Donggexin"),
    ("小黄庄", "Xiaohuangzhuang"),
    ("柳荫", "Liuyin"),
    ("景泰", "Jingtai"),
    ("定安", "Ding'an"),
    ("沙子口", "Shazikou"),
    ("桃杨", "Taoyang"),
    ("宝华", "Baohua"),
    ("东交民巷", "Dongjiaominxiang"),
    ("南锣", "Nanluo"),
    ("后圆恩寺", "Houyuanensi"),
    ("秦老", "Qinlao"),
    ("炒豆", "Chaodou"),
)
"""Hutong and place words heard across old Dongcheng and Chongwen (zh, pinyin)."""

_FORMS: tuple[tuple[str, str], ...] = (
    ("东里", "Dongli"),
    ("西里", "Xili"),
    ("南里", "Nanli"),
    ("北里", "Beili"),
    ("东街", "Dongjie"),
    ("西街", "Xijie"),
    ("中街", "Zhongjie"),
)
"""Suffixes Beijing uses to split one place into several residential areas."""


def community_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Distinct (zh, en) community names: every place word once, then suffixed variants."""
    variants = [(zh + fz, f"{en} {fe}") for zh, en in _ROOTS for fz, fe in _FORMS]
    picked = rng.sample(_ROOTS, min(count, len(_ROOTS)))
    picked += rng.sample(variants, max(0, count - len(_ROOTS)))
    rng.shuffle(picked)
    return [(f"{zh}社区", f"{en} Community") for zh, en in picked]
